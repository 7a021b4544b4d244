using PaperLens.Server.Lsp.Protocol;

namespace PaperLens.Tests.Lsp;

/// <summary>The server watches its sources itself: a library outside the workspace rewritten on disk is picked up; wrong corpus paths are said.</summary>
public class LspLiveLibraryTests
{
    private const string First = "@article{lee2020dense, title = {Dense Retrieval of Scientific Papers}, author = {Lee, Kenton}, year = 2020}\n";
    private const string Second = "@article{zhu2023dense, title = {Dense Passage Retrieval at Scale}, author = {Zhu, Wei}, year = 2023}\n";

    [Fact]
    public async Task A_bib_outside_the_workspace_changed_on_disk_is_picked_up_within_seconds()
    {
        using var zotero = new TempDirectory();
        var library = zotero.File("library.bib", First);
        var fixture = Fixture.Parse($"%! paper.tex\nDense retrieval \\cite{{|}}\n\\bibliography{{{Path.ChangeExtension(library, null)}}}");
        await using var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync(new { corpus = new { paths = new[] { library } }, index = new { path = client.Folder.Combine(".index", "index.db") } });
        await client.OpenAsync("paper.tex");
        Assert.Equal(1, (await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { })).Papers);

        File.AppendAllText(library, Second); // as Zotero's auto-export does; no didChangeWatchedFiles from the client
        var deadline = DateTime.UtcNow.AddSeconds(8);
        CompletionList? list = null;
        while (DateTime.UtcNow < deadline)
        {
            list = await client.CompleteAsync(fixture);
            if (list?.Items.Any(i => i.Label == "zhu2023dense") == true) break;
            await Task.Delay(200);
        }
        Assert.Contains(list!.Items, i => i.Label == "zhu2023dense");
        IndexStatusResult status; // the corpus index follows: re-indexing starts a moment after the change settles
        do status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        while ((status.Papers != 2 || status.State != "idle") && DateTime.UtcNow < deadline.AddSeconds(10) && await Task.Delay(100).ContinueWith(_ => true));
        Assert.Equal(2, status.Papers);
    }

    [Fact]
    public async Task A_draft_opened_later_that_names_an_unindexed_bib_has_it_read_indexed_and_watched_at_once()
    {
        using var elsewhere = new TempDirectory();
        var library = elsewhere.File("library.bib", First);
        var fixture = Fixture.Parse("%! notes.md\nNothing cited yet.");
        await using var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync();
        Assert.Equal(0, (await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { })).Papers);

        // A draft the workspace scan never saw (created after it), naming a library outside the workspace.
        client.Folder.File("paper.tex", $"Dense retrieval \\cite{{lee2020dense}} at scale \\cite{{zhu2023dense}}.\n\\bibliography{{{Path.ChangeExtension(library, null)}}}\n");
        await client.OpenAsync("paper.tex");
        var diagnostics = await client.DiagnosticsFor("paper.tex", d => d.Length == 1);
        Assert.Contains("zhu2023dense", Assert.Single(diagnostics).Message); // lee2020dense is defined at once

        var deadline = DateTime.UtcNow.AddSeconds(10);
        IndexStatusResult status;
        do status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        while ((status.Papers != 1 || status.State != "idle") && DateTime.UtcNow < deadline && await Task.Delay(100).ContinueWith(_ => true));
        Assert.Equal(1, status.Papers); // indexed without a restart or Reindex

        File.AppendAllText(library, Second); // and watched
        Assert.Empty(await client.DiagnosticsFor("paper.tex", d => d.Length == 0));
    }

    [Fact]
    public async Task Wrong_corpus_paths_are_in_the_status_and_shown_once_and_brace_and_bracket_globs_work()
    {
        var fixture = Fixture.Parse($"""
            %! corpus/a.bib
            {First}
            %! corpus/b.bib
            {Second}
            %! corpus/sigir-2015.bib
            @article{"{"}old2015, title = {"{"}Old{"}"}, year = 2015{"}"}
            %! notes.md
            Dense retrieval [@|
            """);
        await using var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync(new
        {
            corpus = new { paths = new[] { "/nonexistent/library.bib", "corpus/sigir-201[6-9].bib", "corpus/{a,b}.bib" } },
            index = new { path = client.Folder.Combine(".index", "index.db") },
        });
        for (int i = 0; i < 100 && client.ShownMessages.IsEmpty; i++) await Task.Delay(50);

        var status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        Assert.Equal(2, status.CorpusProblems!.Length);
        Assert.Contains(status.CorpusProblems, p => p.Contains("/nonexistent/library.bib") && p.Contains("not found"));
        Assert.Contains(status.CorpusProblems, p => p.Contains("sigir-201[6-9].bib") && p.Contains("match"));
        Assert.Equal(3, status.Papers); // the workspace's own .bib files; the brace glob matched, so it is no problem
        var shown = Assert.Single(client.ShownMessages);
        Assert.Contains("corpus.paths", shown);

        await client.Request<object?>("workspace/executeCommand", new { command = PaperLensMethods.ReindexCommand });
        await Task.Delay(300);
        await client.WaitForIndexAsync();
        Assert.Single(client.ShownMessages); // said once, not on every run
    }
}
