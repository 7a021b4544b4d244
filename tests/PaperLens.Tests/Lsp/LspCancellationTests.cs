using PaperLens.Embedding;
using PaperLens.Server.Lsp.Protocol;

namespace PaperLens.Tests.Lsp;

public class LspCancellationTests
{
    /// <summary>The test embedder, except that query embedding can be held until the test lets it go.</summary>
    private sealed class HeldQueryEmbedder : IEmbedder
    {
        private readonly HashingEmbedder _inner = new();
        public ManualResetEventSlim Entered { get; } = new();
        public ManualResetEventSlim Release { get; } = new(initialState: true);
        public string ModelId => _inner.ModelId;
        public int Dimensions => _inner.Dimensions;
        public float[] EmbedDocument(string text) => _inner.EmbedDocument(text);

        public float[] EmbedQuery(string text)
        {
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(20));
            return _inner.EmbedQuery(text);
        }

        public void Dispose() => _inner.Dispose();
    }

    [Fact]
    public async Task A_cancelled_completion_is_answered_as_cancelled_and_the_next_one_works()
    {
        var fixture = Fixture.Parse("""
            %! paper.tex
            Retrieval of scientific papers with dense vectors \cite{|}
            %! refs.bib
            @article{lee2020dense, title = {Dense Retrieval of Scientific Papers}, abstract = {Vectors for retrieval.}}
            """);
        var embedder = new HeldQueryEmbedder();
        await using var client = LspTestClient.InProcess(fixture, embedder);
        await client.InitializeAsync();
        await client.OpenAsync("paper.tex");

        // The held query blocks a pool thread; make sure the server still has threads to read the $/cancelRequest.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 8), io);
        embedder.Release.Reset();
        using var cts = new CancellationTokenSource();
        var request = client.Rpc.InvokeWithParameterObjectAsync<CompletionList>("textDocument/completion",
            new { textDocument = new { uri = client.Uri("paper.tex") }, position = LspTestClient.CursorPosition(fixture) }, cts.Token);
        Assert.True(embedder.Entered.Wait(TimeSpan.FromSeconds(20)), "the server never started ranking");
        cts.Cancel(); // sends $/cancelRequest
        await Task.Delay(1000);
        embedder.Release.Set();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        var list = await client.CompleteAsync(fixture);
        Assert.Equal("lee2020dense", list!.Items[0].Label);
    }
}
