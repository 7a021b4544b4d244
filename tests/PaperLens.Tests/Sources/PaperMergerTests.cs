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
            P("Language Models are Few-Shot Learners (GPT-3)", "a.jsonl", arxiv: "2005.14165"),
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
            P("Graph Attention Networks", "d", arxiv: "1710.10903v3", key: "velickovic2018"),
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
        // Records sharing an arXiv id are the same paper listed again: same title.
        var papers = Enumerable.Range(0, 120_000).Select(i => P($"Synthetic paper number {(i % 5 == 0 ? i % 40000 : i)} about topic {i % 97}", "big.bib",
            doi: i % 3 == 0 ? $"10.1000/{i / 2}" : null, arxiv: i % 5 == 0 ? $"2101.{i % 40000:00000}" : null,
            author: "Author" + (i % 1000), year: 2000 + i % 25)).ToList();
        for (int i = 0; i < papers.Count; i += 5) papers[i] = papers[i] with { Title = $"Synthetic paper number {i % 40000} about topic {i % 40000 % 97}" };
        var clock = Stopwatch.StartNew();
        var merged = PaperMerger.Merge(papers);
        clock.Stop();
        Assert.Equal(120_000 - 16_000, merged.Count);   // 24k arXiv records share 8k ids; titles and DOIs are all distinct
        Assert.Equal(merged.Count, merged.Select(p => p.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"merge took {clock.Elapsed}");
    }

    // Issue 8 §5: identifiers in real files are often wrong; none is trusted alone.

    [Fact]
    public void Arxiv_id_scraped_from_a_journal_field_is_not_identity()
    {
        // The A3C entry's journal names another paper's arXiv id.
        var bib = SourceTestSupport.ReadText(new PaperLens.Sources.BibTex.BibTexReader(), """
            @article{mnih2016asynchronous,
              title = {Asynchronous methods for deep reinforcement learning},
              author = {Mnih, Volodymyr and Badia, Adria Puigdomenech},
              journal = {arXiv preprint arXiv:1605.03835},
              year = {2016}
            }
            """, "refs.bib").Papers;
        Assert.True(Assert.Single(bib).ArxivIdFromText);
        var noisy = P("Noisy Parallel Approximate Decoding for Conditional Recurrent Language Model", "arxiv.jsonl", arxiv: "1605.03835", year: 2016);
        var result = PaperMerger.MergeReported([noisy, .. bib]);
        Assert.Equal(2, result.Papers.Count);
        Assert.Equal("mnih2016asynchronous", result.Papers[1].Key);
        Assert.Empty(result.Merges);

        // Even with agreeing titles, a scraped id proves nothing: the year still has to agree.
        var sameTitle = P("Asynchronous Methods for Deep Reinforcement Learning", "arxiv.jsonl", arxiv: "1605.03835", year: 2015);
        Assert.Equal(2, PaperMerger.Merge([sameTitle, .. bib]).Count);
    }

    [Fact]
    public void Two_papers_sharing_one_doi_stay_apart_when_their_titles_differ()
    {
        var merged = PaperMerger.MergeReported([
            P("Effective End-User Interaction with Machine Learning", "a.bib", doi: "10.1145/1978942.1979013", key: "amershi2011effective", year: 2011, author: "Amershi"),
            P("CueT: Human-Guided Fast and Accurate Network Alarm Triage", "b.bib", doi: "10.1145/1978942.1979013", key: "amershi2011cuet", year: 2011, author: "Amershi"),
        ]);
        Assert.Equal(["amershi2011effective", "amershi2011cuet"], merged.Papers.Select(p => p.Key));
        Assert.Equal("10.1145/1978942.1979013", merged.Papers[1].Doi);
        Assert.Empty(merged.Merges);
    }

    [Fact]
    public void A_placeholder_eprint_on_nine_entries_merges_none_of_them()
    {
        string[] titles = ["Gut Microbiota in Health and Disease", "A Survey on Transfer Learning", "Deep Residual Learning for Image Recognition",
            "Mastering the Game of Go without Human Knowledge", "Word Embeddings for Clinical Notes", "Urban Heat Islands and Street Trees",
            "Latent Dirichlet Allocation", "Sequence to Sequence Learning with Neural Networks", "Protein Folding with Attention"];
        var entries = string.Join("\n", titles.Select((t, i) => $"@article{{entry{i}, title = {{{t}}}, year = {{{2010 + i % 3}}}, eprint = {{arXiv:1011.1669v3}}}}"));
        var papers = SourceTestSupport.ReadText(new PaperLens.Sources.BibTex.BibTexReader(), entries, "mendeley.bib").Papers;
        Assert.All(papers, p => Assert.Equal("1011.1669", p.ArxivId));
        Assert.Equal(9, PaperMerger.Merge(papers).Count);
        // Spread over nine files, too: the titles disagree.
        Assert.Equal(9, PaperMerger.Merge(papers.Select((p, i) => p with { Source = new SourceLocation($"f{i}.bib", 1) })).Count);
    }

    [Theory]
    [InlineData("10.1162/tacl _a _00321")]
    [InlineData("10.1162/tacl_a_00321 10.1162/tacl_a_00293")]
    [InlineData("see 10.1162/tacl_a_00321")]
    public void A_malformed_doi_is_no_identifier(string doi) => Assert.Null(PaperIdentifiers.DoiKey(doi));

    [Fact]
    public void Dois_with_stray_spaces_do_not_merge_by_their_prefix()
    {
        var merged = PaperMerger.Merge([
            P("Dense Passage Retrieval Revisited for Open Domain Questions", "a.bib", doi: "10.1162/tacl _a _00321", key: "a"),
            P("Syntactic Structure Distillation Pretraining for Language Models", "b.bib", doi: "10.1162/tacl _a _00293", key: "b"),
        ]);
        Assert.Equal(2, merged.Count);
        Assert.Equal("10.1162/tacl _a _00293", merged[1].Doi);
    }

    [Fact]
    public void Same_title_merges_only_when_years_agree_or_one_is_missing()
    {
        var merged = PaperMerger.Merge([
            P("A Survey of Methods for Citation Recommendation", "a.bib", year: 2019),
            P("A survey of methods for citation recommendation", "b.bib", year: 2023),
            P("A Survey of Methods for Citation Recommendation.", "c.txt"),
            P("A survey of methods for citation recommendation", "d.json", year: 2023),
        ]);
        Assert.Equal(2, merged.Count);
        Assert.Equal([2019, 2023], merged.Select(p => p.Year));
    }

    [Fact]
    public void Two_keys_for_one_paper_in_one_bib_are_both_kept()
    {
        var merged = PaperMerger.Merge([
            P("Attention Is All You Need", "refs.bib", doi: "10.5555/3295222.3295349", key: "vaswani2017"),
            P("Attention is all you need", "refs.bib", doi: "10.5555/3295222.3295349", key: "transformer"),
            P("Attention Is All You Need", "corpus.jsonl", arxiv: "1706.03762", abs: "The dominant sequence transduction models…"),
        ]);
        Assert.Equal(["vaswani2017", "transformer"], merged.Select(p => p.Key));
        Assert.All(merged, p => Assert.True(p.HasSourceKey));
    }

    [Fact]
    public void Keys_differing_only_in_case_are_reported_and_both_kept()
    {
        var (papers, problems) = SourceTestSupport.ReadText(new PaperLens.Sources.BibTex.BibTexReader(), """
            @article{Smith2020, title = {Learning to Rank Papers}, year = 2020}
            @article{smith2020, title = {Ranking Papers by Learning}, year = 2020}
            """, "refs.bib");
        Assert.Equal(["Smith2020", "smith2020"], PaperMerger.Merge(papers).Select(p => p.Key));
        var problem = Assert.Single(problems);
        Assert.Equal(2, problem.Location.Line);
        Assert.Contains("differs only in case", problem.Message);
        Assert.Contains("biber", problem.Message);
    }

    [Fact]
    public void Merges_of_records_from_different_files_are_reported_with_both_sources()
    {
        var result = PaperMerger.MergeReported([
            P("Attention Is All You Need", "a.bib", doi: "10.5555/3295222.3295349", key: "vaswani2017"),
            P("Attention is all you need!", "b.json", doi: "10.5555/3295222.3295349", arxiv: "1706.03762"),
            P("ATTENTION IS ALL YOU NEED", "c.jsonl", arxiv: "1706.03762v5"),
            P("Some Other Paper About Citation Ranking", "a.bib"),
            P("Some other paper about citation ranking", "a.bib"),
        ]);
        Assert.Equal(2, result.Papers.Count);
        Assert.Equal(
            [("vaswani2017", "a.bib", "b.json", MergeReason.Doi), ("vaswani2017", "b.json", "c.jsonl", MergeReason.ArxivId)],
            result.Merges.Select(m => (m.Key, m.Kept.File, m.Merged.File, m.Reason)));
    }

    [Theory]
    [InlineData("bert", "bert pre training of deep bidirectional transformers for language understanding", true)]
    [InlineData("attention is all you need", "attention is all you need v2", true)]
    [InlineData("asynchronous methods for deep reinforcement learning", "asynchronous methods for deep reinforcment learning", true)]
    [InlineData("language models are few shot learners", "large language models are few shot learners", true)]
    [InlineData("asynchronous methods for deep reinforcement learning", "noisy parallel approximate decoding for conditional recurrent language model", false)]
    [InlineData("effective end user interaction with machine learning", "cuet human guided fast and accurate network alarm triage", false)]
    [InlineData("deep learning", "deep belief networks", false)]
    [InlineData("a study of topic number 1 in citation ranking", "a study of topic number 2 in citation ranking", false)]
    public void Titles_agree(string a, string b, bool expected) => Assert.Equal(expected, TitleNormalizer.Agree(a, b));
}
