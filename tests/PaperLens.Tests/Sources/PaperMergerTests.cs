using System.Diagnostics;
using PaperLens.Core;

namespace PaperLens.Tests.Sources;

public class PaperMergerTests
{
    private static Paper P(string title, string file, string? doi = null, string? arxiv = null, string key = "",
        int? year = null, string? abs = null, string? author = null) => new()
    {
        Title = title,
        Doi = doi,
        ArxivId = arxiv,
        Key = key,
        HasSourceKey = key.Length > 0,
        Year = year,
        Abstract = abs,
        Authors = author == null ? [] : [new PersonName(author)],
        Source = new SourceLocation(file, 1),
    };

    [Fact]
    public void SameDoi_CaseAndPrefixInsensitive()
    {
        var merged = PaperMerger.Merge([
            P("Deep Learning", "a.bib", doi: "10.1038/NATURE14539", key: "lecun2015deep"),
            P("Deep learning.", "b.json", doi: "https://doi.org/10.1038/nature14539", abs: "Deep learning allows computational models…"),
        ]);
        var paper = Assert.Single(merged);
        Assert.Equal("lecun2015deep", paper.Key);
        Assert.Equal("a.bib", paper.Source.File);
        Assert.Equal("Deep learning allows computational models…", paper.Abstract);
    }

    [Fact]
    public void SameArxivId_VersionSuffixIgnored()
    {
        var merged = PaperMerger.Merge([
            P("Pointer Networks", "arxiv.jsonl", arxiv: "1506.03134", year: 2015, author: "Vinyals"),
            P("Pointer networks (v2)", "zotero.json", arxiv: "arXiv:1506.03134v2", key: "vinyals2015pointer"),
        ]);
        var paper = Assert.Single(merged);
        Assert.Equal("vinyals2015pointer", paper.Key);             // any source key beats a generated one
        Assert.True(paper.HasSourceKey);
        Assert.Equal("arxiv.jsonl", paper.Source.File);
        Assert.Equal("Vinyals", paper.Authors[0].Family);
    }

    [Fact]
    public void ArxivDoi_MatchesArxivId()
    {
        var merged = PaperMerger.Merge([
            P("Language Models are Few-Shot Learners", "z.json", doi: "10.48550/arXiv.2005.14165"),
            P("Something else entirely", "a.jsonl", arxiv: "2005.14165"),
        ]);
        Assert.Single(merged);
    }

    [Fact]
    public void SameLongTitle_DespitePunctuationCaseAndDiacritics()
    {
        var merged = PaperMerger.Merge([
            P("Transductive Few-Shot Learning: Clustering is All You Need?", "list.txt"),
            P("Transductive few-shot learning -- clustering is all you need", "refs.bib", key: "ziko2021", abs: "We investigate…"),
            P("Über die Ähnlichkeit von Dokumenten", "a.bib"),
            P("Uber die Ahnlichkeit von DOKUMENTEN", "b.bib", year: 2019),
        ]);
        Assert.Equal(2, merged.Count);
        Assert.Equal("ziko2021", merged[0].Key);
        Assert.Equal("list.txt", merged[0].Source.File);
        Assert.Equal("We investigate…", merged[0].Abstract);
        Assert.Equal(2019, merged[1].Year);
    }

    [Fact]
    public void ShortTitles_AreNotMerged()
    {
        var merged = PaperMerger.Merge([P("Editorial", "a.bib"), P("Editorial", "b.bib"), P("Pointer Networks", "c"), P("Pointer Networks", "d")]);
        Assert.Equal(4, merged.Count);
        Assert.Equal(4, merged.Select(p => p.Key).Distinct().Count());
    }

    [Fact]
    public void SameTitle_DifferentDois_AreDifferentPapers()
    {
        var merged = PaperMerger.Merge([
            P("Session details: Keynote Address Session", "a.bib", doi: "10.1145/3249001"),
            P("Session details: Keynote Address Session", "a.bib", doi: "10.1145/3249002"),
        ]);
        Assert.Equal(2, merged.Count);
    }

    [Fact]
    public void Chain_DoiThenTitle_MergesAllThree()
    {
        var merged = PaperMerger.Merge([
            P("Attention Is All You Need", "a.bib", doi: "10.5555/3295222.3295349", key: "vaswani2017"),
            P("Attention is all you need!", "b.json", doi: "10.5555/3295222.3295349", arxiv: "1706.03762"),
            P("ATTENTION IS ALL YOU NEED", "c.txt", abs: "The dominant sequence transduction models are based on complex recurrent networks."),
            P("Unrelated Work On Graph Neural Networks", "c.txt"),
        ]);
        Assert.Equal(2, merged.Count);
        var paper = merged[0];
        Assert.Equal("vaswani2017", paper.Key);
        Assert.Equal("1706.03762", paper.ArxivId);
        Assert.StartsWith("The dominant sequence", paper.Abstract);
        Assert.Equal("Unrelated Work On Graph Neural Networks", merged[1].Title);
    }

    [Fact]
    public void Chain_TitleLinksTwoIdGroups()
    {
        // A~B by DOI, C~D by arXiv id, B~C by title: all four are one paper.
        var merged = PaperMerger.Merge([
            P("Graph Attention Networks for Everything", "a", doi: "10.1/x"),
            P("Graph Attention Networks for Everything", "b", doi: "10.1/X"),
            P("graph attention networks for everything", "c", arxiv: "1710.10903"),
            P("GAT", "d", arxiv: "1710.10903v3", key: "velickovic2018"),
        ]);
        var paper = Assert.Single(merged);
        Assert.Equal("velickovic2018", paper.Key);
        Assert.Equal("a", paper.Source.File);
    }

    [Fact]
    public void MergedPapersWithoutSourceKeys_GetUniqueGeneratedKeys()
    {
        var merged = PaperMerger.Merge([
            P("Deep Networks for Thing One", "a", author: "Smith", year: 2020),
            P("Deep Networks for Thing Two", "a", author: "Smith", year: 2020),
            P("Deep networks for thing one", "b", author: "Smith", year: 2020),
        ]);
        Assert.Equal(["smith2020deep", "smith2020deepa"], merged.Select(p => p.Key));
    }

    [Fact]
    public void Merge120kPapers_IsLinear()
    {
        var papers = Enumerable.Range(0, 120_000).Select(i => P($"Synthetic paper number {i} about topic {i % 97}", "big.bib",
            doi: i % 3 == 0 ? $"10.1000/{i / 2}" : null, arxiv: i % 5 == 0 ? $"2101.{i % 40000:00000}" : null,
            author: "Author" + (i % 1000), year: 2000 + i % 25)).ToList();
        var clock = Stopwatch.StartNew();
        var merged = PaperMerger.Merge(papers);
        clock.Stop();
        Assert.Equal(120_000 - 16_000, merged.Count);   // 24k arXiv records share 8k ids; titles and DOIs are all distinct
        Assert.Equal(merged.Count, merged.Select(p => p.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"merge took {clock.Elapsed}");
    }
}
