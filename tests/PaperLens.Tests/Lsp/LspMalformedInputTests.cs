using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Nerdbank.Streams;

namespace PaperLens.Tests.Lsp;

/// <summary>No bytes on the input end the session: each malformed message gets its JSON-RPC error, and completion still answers.</summary>
public class LspMalformedInputTests
{
    private static readonly Fixture Workspace = Fixture.Parse("""
        %! notes.md
        Dense retrieval of scientific papers [@|
        %! refs.bib
        @article{lee2020dense, title = {Dense Retrieval of Scientific Papers}, author = {Lee, Kenton}, year = 2020}
        """);

    private static byte[] Framed(string body) => Framed(Encoding.UTF8.GetBytes(body));

    private static byte[] Framed(byte[] body) => [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];

    private static byte[] Raw(string text) => Encoding.UTF8.GetBytes(text);

    private const string Hover = """{"jsonrpc":"2.0","id":"bad","method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x.md"},"position":{"line":0,"character":0}}}""";

    /// <summary>Name, bytes sent, the error code expected (null: no reply, as for a notification), and the id it answers.</summary>
    public static readonly TheoryData<string, byte[], int?, string?> Cases = new()
    {
        { "params a number (request)", Framed("""{"jsonrpc":"2.0","id":"bad","method":"textDocument/hover","params":42}"""), -32602, "bad" },
        { "params a string (request)", Framed("""{"jsonrpc":"2.0","id":"bad","method":"textDocument/completion","params":"x"}"""), -32602, "bad" },
        { "params a number (notification)", Framed("""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":42}"""), null, null },
        { "params a string (notification)", Framed("""{"jsonrpc":"2.0","method":"textDocument/didChange","params":"x"}"""), null, null },
        { "params an array of the wrong thing", Framed("""{"jsonrpc":"2.0","id":"bad","method":"textDocument/hover","params":[42]}"""), -32602, "bad" },
        { "params of the wrong shape", Framed("""{"jsonrpc":"2.0","id":"bad","method":"textDocument/hover","params":{"textDocument":5}}"""), -32602, "bad" },
        { "JSON nested 100 deep", Framed("""{"jsonrpc":"2.0","id":"bad","method":"textDocument/hover","params":""" + new string('[', 100) + new string(']', 100) + "}"), -32700, null },
        { "body not JSON", Framed("this is not json at all"), -32700, null },
        { "body not UTF-8", Framed([0xff, 0xfe, 0x7b, 0x00, 0x80]), -32700, null },
        { "batch array", Framed("[" + Hover + "," + Hover + "]"), -32600, null },
        { "a JSON number", Framed("42"), -32600, null },
        { "id an object", Framed("""{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover","params":{}}"""), -32600, null },
        { "id a fraction", Framed("""{"jsonrpc":"2.0","id":1.5,"method":"textDocument/hover","params":{}}"""), -32600, null },
        { "method a number", Framed("""{"jsonrpc":"2.0","id":"bad","method":5}"""), -32600, "bad" },
        { "jsonrpc 1.0", Framed("""{"jsonrpc":"1.0","id":"bad","method":"textDocument/hover","params":{}}"""), -32600, "bad" },
        { "traceparent a number", Framed("""{"jsonrpc":"2.0","id":"bad","method":"textDocument/hover","traceparent":1}"""), -32600, "bad" },
        { "neither method nor result", Framed("""{"jsonrpc":"2.0","id":"bad"}"""), -32600, "bad" },
        { "a response with an unreadable error", Framed("""{"jsonrpc":"2.0","id":"bad","error":{"code":"x"}}"""), null, null },
        { "a response to nothing", Framed("""{"jsonrpc":"2.0","id":"bad","result":null}"""), null, null },
        { "unknown method", Framed("""{"jsonrpc":"2.0","id":"bad","method":"no/such","params":{}}"""), -32601, "bad" },
        { "missing Content-Length", Raw("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + Hover), -32700, null },
        { "no header at all", Raw(Hover), -32700, null },
        { "negative Content-Length", Raw("Content-Length: -5\r\n\r\n" + Hover), -32700, null },
        { "non-numeric Content-Length", Raw("Content-Length: lots\r\n\r\n" + Hover), -32700, null },
        { "huge Content-Length", Raw("Content-Length: 99999999999999\r\n\r\n" + Hover), -32700, null },
        { "Content-Length too short", Raw("Content-Length: 10\r\n\r\n" + Hover), -32700, null },
        { "garbage bytes", Raw("\u0001\u0002garbage\r\nmore: garbage\r\n\r\n"), -32700, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task After_a_malformed_message_completion_still_answers(string name, byte[] bytes, int? code, string? id)
    {
        await using var client = RawLspClient.InProcess(Workspace);
        await client.InitializeAsync();
        await client.OpenAsync("notes.md", "markdown");
        await AssertSurvivesAsync(client, name, bytes, code, id);
    }

    [Fact]
    public async Task The_real_server_process_survives_every_case_in_one_session_and_logs_why_it_ends()
    {
        using var process = Process.Start(ServerProcess.StartInfo("serve"))!;
        var stderr = process.StandardError.ReadToEndAsync();
        await using (var client = RawLspClient.Over(FullDuplexStream.Splice(process.StandardOutput.BaseStream, process.StandardInput.BaseStream), Workspace))
        {
            await client.InitializeAsync();
            await client.OpenAsync("notes.md", "markdown");
            foreach (var row in Cases) await AssertSurvivesAsync(client, (string)row[0], (byte[])row[1], (int?)row[2], (string?)row[3]);

            // A header cut off by the end of input cannot be framed: the session ends, and the log says why.
            await client.SendRawAsync(Raw("Content-Length: 500\r\n\r\n{\"jsonrpc\""));
            process.StandardInput.Close();
            Assert.True(process.WaitForExit(20_000));
        }
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("input ended inside a message body", await stderr);
    }

    private static async Task AssertSurvivesAsync(RawLspClient client, string name, byte[] bytes, int? code, string? id)
    {
        int errorsBefore = client.Errors.Count();
        await client.SendRawAsync(bytes);
        var completion = await client.RequestAsync("textDocument/completion", new { textDocument = new { uri = client.Uri("notes.md") }, position = new { line = 0, character = 39 } })
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : throw new Xunit.Sdk.XunitException($"{name}: no answer to completion ({t.Exception?.InnerException?.Message})"));
        Assert.True(completion.TryGetProperty("result", out var result), $"{name}: {completion}");
        Assert.Contains("lee2020dense", result.GetRawText());

        var errors = client.Errors.Skip(errorsBefore).ToList();
        if (code is null)
        {
            Assert.True(errors.Count == 0, $"{name}: unexpected reply {string.Join(", ", errors)}");
            return;
        }
        // A body cut short leaves its tail before the next header: that tail is refused as well, with the same code.
        Assert.True(errors.Count == 1 || (errors.Count == 2 && name.Contains("too short")), $"{name}: {errors.Count} replies");
        Assert.All(errors, e => Assert.Equal(code, e.GetProperty("error").GetProperty("code").GetInt32()));
        var error = errors[0];
        var replyId = error.GetProperty("id");
        if (id is null) Assert.Equal(JsonValueKind.Null, replyId.ValueKind);
        else Assert.Equal(id, replyId.GetString());
        Assert.False(error.GetProperty("error").TryGetProperty("data", out _), $"{name}: error.data sent");
    }
}
