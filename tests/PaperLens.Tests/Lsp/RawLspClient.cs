using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Nerdbank.Streams;
using PaperLens.Embedding;
using PaperLens.Server.Lsp;
using PaperLens.Server.Lsp.Transport;

namespace PaperLens.Tests.Lsp;

/// <summary>
/// A client that writes raw bytes to a server, so tests can send what a well-behaved JsonRpc never would, and reads every
/// frame the server sends back.
/// </summary>
public sealed class RawLspClient : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly Task _reading;
    private readonly LanguageServer? _server;
    private int _nextId = 1;

    public ConcurrentQueue<JsonElement> Received { get; } = new();
    public TempDirectory Folder { get; }
    public Task<int>? ServerRun { get; }

    private RawLspClient(Stream stream, TempDirectory folder, LanguageServer? server)
    {
        _stream = stream;
        Folder = folder;
        _server = server;
        ServerRun = server?.RunAsync();
        _reading = Task.Run(ReadAllAsync);
    }

    public static RawLspClient InProcess(Fixture fixture)
    {
        var (serverStream, clientStream) = FullDuplexStream.CreatePair();
        var server = new LanguageServer(serverStream, serverStream, (_, _) => new HashingEmbedder());
        return new RawLspClient(clientStream, Write(fixture), server);
    }

    public static RawLspClient Over(Stream duplex, Fixture fixture) => new(duplex, Write(fixture), null);

    private static TempDirectory Write(Fixture fixture)
    {
        var folder = new TempDirectory();
        foreach (var (name, text) in fixture.Files) folder.File(name, text);
        return folder;
    }

    public string Uri(string name) => LspConvert.ToUri(Folder.Combine(name));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    public Task SendAsync(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return SendRawAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body]);
    }

    public Task NotifyAsync(string method, object parameters) =>
        SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", method, @params = parameters }));

    /// <summary>Sends a request and returns its response (result or error).</summary>
    public async Task<JsonElement> RequestAsync(string method, object? parameters, int timeoutSeconds = 30)
    {
        int id = Interlocked.Increment(ref _nextId) + 100_000;
        await SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters }));
        return await WaitForAsync(m => IsResponse(m) && m.GetProperty("id").ValueKind == JsonValueKind.Number && m.GetProperty("id").GetInt32() == id, timeoutSeconds);
    }

    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> wanted, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var m in Received) if (wanted(m)) return m;
            if (_reading.IsCompleted) break;
            await Task.Delay(20);
        }
        throw new TimeoutException("no such message from the server");
    }

    /// <summary>Error replies the server sent (responses with an error member).</summary>
    public IEnumerable<JsonElement> Errors => Received.Where(m => IsResponse(m) && m.TryGetProperty("error", out _));

    private static bool IsResponse(JsonElement m) => !m.TryGetProperty("method", out _) && m.TryGetProperty("id", out _);

    public async Task InitializeAsync()
    {
        var init = await RequestAsync("initialize", new
        {
            processId = Environment.ProcessId,
            rootUri = LspConvert.ToUri(Folder.Path),
            capabilities = new { },
            initializationOptions = new { index = new { path = Folder.Combine(".index", "index.db") } },
        }, timeoutSeconds: 120);
        Assert.True(init.TryGetProperty("result", out _), init.ToString());
        await NotifyAsync("initialized", new { });
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var status = await RequestAsync("paperlens/indexStatus", new { });
            if (status.GetProperty("result").GetProperty("state").GetString() is "idle" or "error") return;
            await Task.Delay(50);
        }
    }

    public async Task OpenAsync(string name, string languageId) => await NotifyAsync("textDocument/didOpen", new
    {
        textDocument = new { uri = Uri(name), languageId, version = 1, text = File.ReadAllText(Folder.Combine(name)) },
    });

    private async Task ReadAllAsync()
    {
        var reader = new LspFrameReader(_stream);
        while (true)
        {
            LspFrame frame;
            try { frame = await reader.ReadAsync(CancellationToken.None); }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException) { return; }
            if (frame.EndReason is not null) return;
            if (frame.Body is not { } body) continue;
            var message = JsonDocument.Parse(body).RootElement.Clone();
            Received.Enqueue(message);
            if (message.TryGetProperty("method", out var method) && message.TryGetProperty("id", out var id)) await AnswerAsync(method.GetString(), id);
        }
    }

    /// <summary>Answers the server's requests: edits are declined, everything else acknowledged.</summary>
    private Task AnswerAsync(string? method, JsonElement id)
    {
        object? result = method == "workspace/applyEdit" ? new { applied = false } : null;
        return SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, result }));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            _stream.Dispose();
            await _server.DisposeAsync();
        }
        Folder.Dispose();
    }
}
