using PaperLens.Server.Lsp.Protocol;

namespace PaperLens.Tests.Lsp;

/// <summary>A damaged index under `serve`: said once with the way out, requests keep working, and Reindex rebuilds it keeping the old file.</summary>
public class LspDamagedIndexTests
{
    [Fact]
    public async Task A_damaged_index_is_shown_once_and_reindex_moves_it_aside_and_rebuilds()
    {
        var fixture = Fixture.Parse("""
            %! paper.tex
            Dense retrieval of scientific papers \cite{|}
            %! refs.bib
            @article{lee2020dense, title = {Dense Retrieval of Scientific Papers}, author = {Lee, Kenton}, year = 2020}
            """);
        await using var client = LspTestClient.InProcess(fixture);
        var index = client.Folder.File(".index/index.db", "this is not an SQLite database, just damaged bytes".PadRight(8192, 'x'));
        await client.InitializeAsync();
        await client.OpenAsync("paper.tex");

        var status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        Assert.Equal("error", status.State);
        Assert.Contains("paperlens.reindex", status.Message);
        var list = await client.CompleteAsync(fixture); // no stack trace, no failure: the draft's own .bib still answers
        Assert.NotNull(list);
        for (int i = 0; i < 100 && client.ShownMessages.IsEmpty; i++) await Task.Delay(50);
        Assert.Contains("Reindex", Assert.Single(client.ShownMessages));

        await client.Request<object?>("workspace/executeCommand", new { command = PaperLensMethods.ReindexCommand });
        await Task.Delay(200);
        await client.WaitForIndexAsync();
        status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        Assert.Equal("idle", status.State);
        Assert.Equal(1, status.Papers);
        var kept = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(index)!, "index.db.damaged-*"));
        Assert.StartsWith("this is not an SQLite database", File.ReadAllText(kept));
        Assert.Single(client.ShownMessages);
    }
}
