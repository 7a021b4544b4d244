using System.Text.Json;
using PaperLens.Server.Lsp.Protocol;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace PaperLens.Tests.Lsp;

/// <summary>Lifecycle and bad protocol input, in process over a full-duplex stream pair.</summary>
public class LspProtocolTests
{
    private static readonly Fixture Empty = Fixture.Parse("%! notes.md\nNothing yet.");

    [Fact]
    public async Task A_request_before_initialize_gets_ServerNotInitialized()
    {
        await using var client = LspTestClient.InProcess(Empty);
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(() =>
            client.Request<object>("textDocument/hover", new { textDocument = new { uri = client.Uri("notes.md") }, position = new { line = 0, character = 0 } }));
        Assert.Equal(LspErrorCodes.ServerNotInitialized, e.ErrorCode);
    }

    [Fact]
    public async Task Unknown_methods_get_MethodNotFound_and_the_server_keeps_working()
    {
        await using var client = LspTestClient.InProcess(Empty);
        await client.InitializeAsync();
        var e = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => client.Request<object>("textDocument/noSuchThing", new { }));
        Assert.Equal((int)JsonRpcErrorCode.MethodNotFound, (int)e.ErrorCode);
        Assert.NotNull(await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { }));
    }

    [Theory]
    [InlineData("textDocument/hover", """{"textDocument": 42}""")]
    [InlineData("textDocument/completion", """{"position": {"line": 0, "character": 0}}""")]
    [InlineData("paperlens/relatedPapers", """{"textDocument": {"uri": null}}""")]
    [InlineData("textDocument/rename", """{"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}}""")]
    public async Task Wrong_params_get_InvalidParams(string method, string json)
    {
        await using var client = LspTestClient.InProcess(Empty);
        await client.InitializeAsync();
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(() => client.Request<object>(method, JsonDocument.Parse(json).RootElement));
        Assert.Equal(LspErrorCodes.InvalidParams, e.ErrorCode);
        Assert.NotNull(await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { }));
    }

    [Fact]
    public async Task Exit_after_shutdown_is_0_and_without_it_is_1()
    {
        await using (var client = LspTestClient.InProcess(Empty))
        {
            await client.InitializeAsync();
            await client.Request<object?>("shutdown", null);
            await client.Notify("exit", null);
            Assert.Equal(0, await client.ServerRun!.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        await using (var client = LspTestClient.InProcess(Empty))
        {
            await client.InitializeAsync();
            await client.Notify("exit", null);
            Assert.Equal(1, await client.ServerRun!.WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    [Fact]
    public async Task Initialize_announces_the_features()
    {
        await using var client = LspTestClient.InProcess(Empty);
        var result = await client.InitializeAsync();
        Assert.Equal(["{", ",", "@", ";"], result.Capabilities.CompletionProvider!.TriggerCharacters);
        Assert.Equal(2, result.Capabilities.TextDocumentSync.Change);
        Assert.True(result.Capabilities.HoverProvider);
        Assert.Contains(PaperLensMethods.CiteCommand, result.Capabilities.ExecuteCommandProvider!.Commands);
    }
}
