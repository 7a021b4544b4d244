using System.Collections.Concurrent;
using System.Text.Json;
using Nerdbank.Streams;
using PaperLens.Embedding;
using PaperLens.Features;
using PaperLens.Server.Lsp;
using PaperLens.Server.Lsp.Protocol;
using StreamJsonRpc;

namespace PaperLens.Tests.Lsp;

/// <summary>
/// A client JsonRpc connected to an in-process server through a full-duplex stream pair. It answers the server's
/// requests (applyEdit applies edits to its own copies of the files) and records notifications.
/// </summary>
public sealed class LspTestClient : IAsyncDisposable
{
    public JsonRpc Rpc { get; }
    public LanguageServer? Server { get; }
    public Task<int>? ServerRun { get; }
    public TempDirectory Folder { get; }
    public ConcurrentDictionary<string, Diagnostic[]> Diagnostics { get; } = new();
    public ConcurrentQueue<string> LogMessages { get; } = new();
    public ConcurrentQueue<string> ShownMessages { get; } = new();
    public ConcurrentQueue<IndexStatusResult> StatusUpdates { get; } = new();
    public ConcurrentQueue<ApplyWorkspaceEditParams> AppliedEdits { get; } = new();

    private LspTestClient(Stream clientStream, TempDirectory folder, LanguageServer? server)
    {
        Folder = folder;
        Server = server;
        ServerRun = server?.RunAsync();
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = LspJson.Options };
        Rpc = new JsonRpc(new HeaderDelimitedMessageHandler(clientStream, clientStream, formatter));
        Rpc.AddLocalRpcTarget(new ClientTarget(this), new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        Rpc.StartListening();
    }

    /// <summary>A server in this process with the deterministic test embedder; the fixture's files are written into a fresh folder.</summary>
    public static LspTestClient InProcess(Fixture fixture, IEmbedder? embedder = null) =>
        InProcess(fixture, (_, _) => embedder ?? new HashingEmbedder());

    /// <summary>A server in this process whose model is loaded by <paramref name="loadEmbedder"/> (model folder, fp32).</summary>
    public static LspTestClient InProcess(Fixture fixture, Func<string?, bool, IEmbedder?> loadEmbedder)
    {
        var folder = WriteFixture(fixture);
        var (serverStream, clientStream) = FullDuplexStream.CreatePair();
        var server = new LanguageServer(serverStream, serverStream, loadEmbedder);
        return new LspTestClient(clientStream, folder, server);
    }

    /// <summary>A client over an existing stream (e.g. a real server process's stdio).</summary>
    public static LspTestClient Over(Stream duplex, Fixture fixture) => new(duplex, WriteFixture(fixture), null);

    private static TempDirectory WriteFixture(Fixture fixture)
    {
        var folder = new TempDirectory();
        foreach (var (name, text) in fixture.Files) folder.File(name, text);
        return folder;
    }

    public string Uri(string name) => LspConvert.ToUri(Folder.Combine(name));

    public Task<T> Request<T>(string method, object? parameters) => Rpc.InvokeWithParameterObjectAsync<T>(method, parameters);

    public Task Notify(string method, object? parameters) => Rpc.NotifyWithParameterObjectAsync(method, parameters);

    /// <summary>initialize + initialized, with the fixture folder as the workspace and the given settings; waits for indexing to finish.</summary>
    public async Task<InitializeResult> InitializeAsync(object? settings = null, bool waitForIndex = true, object? textDocumentCapabilities = null)
    {
        var result = await Request<InitializeResult>("initialize", new
        {
            processId = Environment.ProcessId,
            rootUri = LspConvert.ToUri(Folder.Path),
            workspaceFolders = new[] { new WorkspaceFolder(LspConvert.ToUri(Folder.Path), "test") },
            capabilities = new
            {
                window = new { workDoneProgress = true },
                workspace = new { didChangeWatchedFiles = new { dynamicRegistration = true } },
                textDocument = textDocumentCapabilities ?? new { },
            },
            initializationOptions = settings ?? new { index = new { path = Folder.Combine(".index", "index.db") } },
        });
        await Notify("initialized", new { });
        if (waitForIndex) await WaitForIndexAsync();
        return result;
    }

    public async Task WaitForIndexAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var status = await Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
            if (status.State is "idle" or "error") return;
            await Task.Delay(50);
        }
        throw new TimeoutException("indexing did not finish");
    }

    public Task OpenAsync(string name) =>
        Notify("textDocument/didOpen", new DidOpenTextDocumentParams(new TextDocumentItem(Uri(name), LanguageOf(name), 1, File.ReadAllText(Folder.Combine(name)))));

    public static string LanguageOf(string name) => Path.GetExtension(name) switch { ".tex" => "latex", ".bib" => "bibtex", _ => "markdown" };

    /// <summary>Completion at the fixture's cursor (its file must be open).</summary>
    public Task<CompletionList?> CompleteAsync(Fixture fixture) =>
        Request<CompletionList?>("textDocument/completion", new { textDocument = new { uri = Uri(fixture.CursorFile!) }, position = CursorPosition(fixture) });

    public static Position CursorPosition(Fixture fixture)
    {
        var p = new LineIndex(fixture.CursorText).PositionOf(fixture.CursorOffset);
        return new Position(p.Line, p.Column);
    }

    public async Task<Diagnostic[]> DiagnosticsFor(string name, Func<Diagnostic[], bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (Diagnostics.TryGetValue(Uri(name), out var d) && until(d)) return d;
            await Task.Delay(50);
        }
        return Diagnostics.GetValueOrDefault(Uri(name)) ?? [];
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            if (!Rpc.IsDisposed)
            {
                try { await Request<object?>("shutdown", null); await Notify("exit", null); } catch (Exception) { }
            }
            await Server.DisposeAsync();
        }
        Rpc.Dispose();
        Folder.Dispose();
    }

    /// <summary>What the server may call on the client.</summary>
    private sealed class ClientTarget(LspTestClient client)
    {
        [JsonRpcMethod("textDocument/publishDiagnostics")]
        public void PublishDiagnostics(PublishDiagnosticsParams p) => client.Diagnostics[p.Uri] = p.Diagnostics;

        [JsonRpcMethod("window/logMessage")]
        public void LogMessage(LogMessageParams p) => client.LogMessages.Enqueue(p.Message);

        [JsonRpcMethod("window/showMessage")]
        public void ShowMessage(ShowMessageParams p) => client.ShownMessages.Enqueue(p.Message);

        [JsonRpcMethod(PaperLensNotifications.IndexStatusChanged)]
        public void StatusChanged(IndexStatusResult p) => client.StatusUpdates.Enqueue(p);

        [JsonRpcMethod("window/workDoneProgress/create")]
        public object? CreateProgress(JsonElement _) => null;

        [JsonRpcMethod("$/progress")]
        public void Progress(JsonElement _) { }

        [JsonRpcMethod("client/registerCapability")]
        public object? Register(JsonElement _) => null;

        [JsonRpcMethod("workspace/applyEdit")]
        public ApplyWorkspaceEditResult ApplyEdit(ApplyWorkspaceEditParams p)
        {
            client.AppliedEdits.Enqueue(p);
            foreach (var (uri, edits) in p.Edit.Changes)
            {
                var path = LspConvert.ToPath(uri);
                var text = File.Exists(path) ? File.ReadAllText(path) : "";
                var lines = new LineIndex(text);
                foreach (var edit in edits.OrderByDescending(e => lines.OffsetOf(LspConvert.ToFeature(e.Range.Start))))
                {
                    int start = lines.OffsetOf(LspConvert.ToFeature(edit.Range.Start)), end = lines.OffsetOf(LspConvert.ToFeature(edit.Range.End));
                    text = text[..start] + edit.NewText + text[end..];
                }
                File.WriteAllText(path, text);
            }
            return new ApplyWorkspaceEditResult(true);
        }
    }
}
