using PaperLens.Features.Ranking;
using PaperLens.Server.Lsp.Protocol;
using PaperLens.Tests.Sources;
using Range = PaperLens.Server.Lsp.Protocol.Range;

namespace PaperLens.Tests.Lsp;

/// <summary>
/// The paragraph being typed is ranked in the background, so the completion after `\cite{` or `[@` there is a cache hit:
/// counted by the ranking cache, not timed.
/// </summary>
public class LspBackgroundRankingTests
{
    private const string Words = "Large language models are trained with a fixed context window, and extending the context window of RoPE-based models needs length extrapolation";

    [Theory]
    [InlineData("paper.tex", "\\documentclass{article}\n\\begin{document}\n|\n\n\\bibliography{refs}\n\\end{document}\n", " \\cite{}", 1)]
    [InlineData("draft.md", "---\nbibliography: refs.bib\n---\n\nIntro.\n\n|\n", " [@]", 1)]
    public async Task Completion_after_typing_a_paragraph_finds_its_ranking_cached(string name, string text, string citation, int back)
    {
        var fixture = Fixture.Parse($"%! {name}\n{text}%! refs.bib\n@article{{vaswani2017attention, title = {{Attention Is All You Need}}, year = {{2017}}}}\n");
        await using var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync(new { corpus = new { paths = new[] { SourceTestSupport.SampleListing } }, index = new { path = client.Folder.Combine(".index", "index.db") } });
        await client.OpenAsync(name);
        var start = LspTestClient.CursorPosition(fixture);
        int version = 2, column = start.Character;
        async Task Type(string typed)
        {
            var at = new Position(start.Line, column);
            await client.Notify("textDocument/didChange", new
            {
                textDocument = new { uri = client.Uri(name), version = version++ },
                contentChanges = new[] { new { range = new Range(at, at), text = typed } },
            });
            column += typed.Length;
        }

        foreach (var (word, i) in Words.Split(' ').Select((w, i) => (w, i))) await Type(i == 0 ? word : " " + word);
        await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { }); // the edits are handled
        var ranker = client.Server!.Workspace.Ranker!;
        await Until(() => ranker.IsIdle && ranker.Completed > 0);
        var catalog = client.Server.Workspace.Snapshot.Catalog;
        var before = CitationRanker.CacheCounts(catalog);
        Assert.True(before.Computed > 0);

        await Type(citation);
        var list = await client.Request<CompletionList?>("textDocument/completion",
            new { textDocument = new { uri = client.Uri(name) }, position = new Position(start.Line, column - back) });
        Assert.NotEmpty(list!.Items);
        Assert.Contains(list.Items.Take(5), i => i.Detail!.StartsWith("CLEX") || i.Detail.Contains("Context Window", StringComparison.OrdinalIgnoreCase));
        var after = CitationRanker.CacheCounts(catalog);
        Assert.Equal(before.Computed, after.Computed); // completion ranked nothing itself
        Assert.Equal(before.Hits + 1, after.Hits);
    }

    [Fact]
    public async Task The_sidebar_for_the_paragraph_just_typed_finds_the_background_ranking_cached()
    {
        var fixture = Fixture.Parse("%! paper.tex\n\\documentclass{article}\n\\begin{document}\n|\n\\end{document}\n");
        await using var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync(new { corpus = new { paths = new[] { SourceTestSupport.SampleListing } }, index = new { path = client.Folder.Combine(".index", "index.db") } });
        await client.OpenAsync("paper.tex");
        var start = LspTestClient.CursorPosition(fixture);
        await client.Notify("textDocument/didChange", new
        {
            textDocument = new { uri = client.Uri("paper.tex"), version = 2 },
            contentChanges = new[] { new { range = new Range(start, start), text = Words } },
        });
        await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        var ranker = client.Server!.Workspace.Ranker!;
        await Until(() => ranker.IsIdle && ranker.Completed > 0);
        var catalog = client.Server.Workspace.Snapshot.Catalog;
        var before = CitationRanker.CacheCounts(catalog);

        var related = await client.Request<RelatedPapersResult>(PaperLensMethods.RelatedPapers,
            new { textDocument = new { uri = client.Uri("paper.tex") }, position = new Position(start.Line, start.Character + Words.Length), limit = 5 });
        Assert.Contains(related.Papers, p => p.Title.Contains("Context Window", StringComparison.OrdinalIgnoreCase));
        var after = CitationRanker.CacheCounts(catalog);
        Assert.Equal(before.Computed, after.Computed); // the sidebar ranked nothing itself
        Assert.Equal(before.Hits + 1, after.Hits);
    }

    [Fact]
    public async Task The_indexing_pass_reads_the_lexical_statistics_before_any_ranking_asks()
    {
        var fixture = Fixture.Parse("%! paper.tex\n\\documentclass{article}\n|\n");
        await using var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync(new { corpus = new { paths = new[] { SourceTestSupport.SampleListing } }, index = new { path = client.Folder.Combine(".index", "index.db") } });
        var catalog = client.Server!.Workspace.Snapshot.Catalog;
        await Until(() => catalog.HasLexicalStatistics);
        Assert.Equal(0, CitationRanker.CacheCounts(catalog).Computed); // no ranking asked for them
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the background ranking did not settle");
            await Task.Delay(20);
        }
    }
}
