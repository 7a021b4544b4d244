using PaperLens.Features;
using PaperLens.Index;
using PaperLens.Tests.Sources;

namespace PaperLens.Tests.Index;

/// <summary>BM25 of an OR query summed from cached per-term scores equals FTS5's own BM25 of the OR query.</summary>
public class TermScoreCacheTests
{
    private static readonly string[][] Queries =
    [
        ["attention", "transformer", "sequence"],
        ["rotary", "position", "context", "window", "extrapolation"],
        ["reinforcement", "learning", "human", "feedback", "language", "models"],
        ["graph"],
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_summed_scores_are_FTS5s_scores_of_the_OR_query(bool statistics)
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        new Indexer(store).Sync([SourceTestSupport.SampleListing], _ => { });
        var cache = new TermScoreCache();
        if (statistics) cache.LoadStatistics(store);
        foreach (var terms in Queries.Concat(Queries)) // the second round is answered from the cache
        {
            var expected = store.LexicalSearch(LexicalQuery.Expression(terms), 1000);
            var actual = cache.Top(store, terms, 1000);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Count, actual.Count);
            var byId = actual.ToDictionary(h => h.Id, h => h.Score);
            foreach (var (id, score) in expected) Assert.Equal(score, byId[id]); // exactly: the same operations in the same order
            Assert.Equal(expected.Select(h => h.Score), actual.Select(h => h.Score)); // the same order (ties aside)

            var fields = store.LexicalScores(LexicalQuery.Expression(terms, "title abstract"), [1, 0, 0], [0, 0, 1]).ToDictionary(r => r.Id, r => r.Scores);
            var summed = cache.Scores(store, terms, "title abstract", [1, 0, 0], [0, 0, 1]);
            Assert.Equal(fields.Count, summed.Count);
            foreach (var (id, scores) in summed)
            {
                Assert.Equal(fields[id][0], scores[0]);
                Assert.Equal(fields[id][1], scores[1]);
            }
        }
        // With the statistics every term is scored from its postings; without, by FTS5.
        Assert.Equal(statistics ? cache.Reads : 0, cache.Computed);
    }

    /// <summary>Words that stem, carry diacritics or digits, or occur in one column only are scored as FTS5 scores them.</summary>
    [Fact]
    public void Postings_scores_equal_bm25_for_every_word_of_the_sample()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        new Indexer(store).Sync([SourceTestSupport.SampleListing], _ => { });
        store.ApplyRows([], [PaperRow.Of(new PaperLens.Core.Paper
        {
            Key = "extra", Title = "Café networks, networking and the 2nd Müller–Łukasiewicz conjecture",
            Abstract = "Networked cafés: naïve résumés of learning learned learners.", Year = 2020,
            Authors = [new PaperLens.Core.PersonName("Müller", "Jörg")], Source = new PaperLens.Core.SourceLocation("x.bib", 1),
        })]);
        var words = store.AllKeys().SelectMany(k => store.GetByKey(k) is { } p ? LexicalQuery.Terms(p.Paper.Title + " " + p.Paper.Abstract + " " + string.Join(" ", p.Paper.Authors)) : [])
            .Distinct().ToList();
        Assert.True(words.Count > 200, $"{words.Count} words");
        Assert.Contains("müller", words);
        var cache = new TermScoreCache();
        cache.LoadStatistics(store);
        foreach (var word in words)
        {
            var expected = store.LexicalScores(LexicalQuery.Expression([word]), TermScoreCache.AllFields).ToDictionary(r => r.Id, r => r.Scores[0]);
            Assert.Equal(expected, cache.Scores(store, [word], null, TermScoreCache.AllFields).ToDictionary(r => r.Id, r => r.Scores[0]));
            var fields = store.LexicalScores(LexicalQuery.Expression([word], "title abstract"), [1, 0, 0], [0, 0, 1]).ToDictionary(r => r.Id, r => (r.Scores[0], r.Scores[1]));
            Assert.Equal(fields, cache.Scores(store, [word], "title abstract", [1, 0, 0], [0, 0, 1]).ToDictionary(r => r.Id, r => (r.Scores[0], r.Scores[1])));
        }
        Assert.Equal(2 * words.Count, cache.Reads);
        Assert.Equal(cache.Reads, cache.Computed);
        Assert.Equal(words.Select(w => store.IndexTokens([w])[w]).Distinct().Count(), cache.PostingReads); // one read a token for both weightings
    }

    [Fact]
    public void Index_tokens_are_the_tokenizers_and_a_word_of_several_tokens_has_none()
    {
        using var store = PaperStore.Open(":memory:");
        var tokens = store.IndexTokens(["learning", "networks", "café", "naïve", "x2", "日本語"]);
        Assert.Equal("learn", tokens["learning"]);
        Assert.Equal("network", tokens["networks"]);
        Assert.Equal("cafe", tokens["café"]);
        Assert.Equal("naiv", tokens["naïve"]);
        Assert.Equal("x2", tokens["x2"]);
        Assert.Equal("日本語", tokens["日本語"]);
        Assert.Null(store.IndexTokens(["a.b"])["a.b"]); // two tokens: a phrase
        Assert.Equal("learn", store.IndexTokens(["learning"])["learning"]); // the connection's table is reused
    }

    /// <summary>Rows added after the statistics were read are not known to them: those terms are scored by FTS5, as the index is now.</summary>
    [Fact]
    public void Statistics_older_than_a_term_s_postings_leave_it_to_FTS5()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        new Indexer(store).Sync([SourceTestSupport.SampleListing], _ => { });
        var cache = new TermScoreCache();
        cache.LoadStatistics(store);
        store.ApplyRows([], [PaperRow.Of(new PaperLens.Core.Paper { Key = "late", Title = "Zyxwv quantum graph", Source = new PaperLens.Core.SourceLocation("x.bib", 1) })]);
        var expected = store.LexicalScores(LexicalQuery.Expression(["zyxwv"]), TermScoreCache.AllFields);
        var actual = cache.Scores(store, ["zyxwv"], null, TermScoreCache.AllFields);
        Assert.Equal(expected.Select(r => (r.Id, r.Scores[0])), actual.Select(r => (r.Id, r.Scores[0])));
        Assert.Equal(0, cache.Computed);
    }

    [Fact]
    public void A_cancelled_statistics_load_leaves_the_cache_to_FTS5()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        new Indexer(store).Sync([SourceTestSupport.SampleListing], _ => { });
        var cache = new TermScoreCache();
        Assert.True(cache.ClaimStatisticsLoad());
        Assert.False(cache.ClaimStatisticsLoad());
        Assert.Throws<OperationCanceledException>(() => cache.LoadStatistics(store, new CancellationToken(canceled: true)));
        Assert.False(cache.HasStatistics);
        Assert.Equal(store.LexicalSearch(LexicalQuery.Expression(Queries[0]), 100), cache.Top(store, Queries[0], 100));
        Assert.Equal(0, cache.Computed);
    }

    [Fact]
    public void Callers_at_once_read_each_term_once()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("i.db");
        using (var store = PaperStore.Open(path)) new Indexer(store).Sync([SourceTestSupport.SampleListing], _ => { });
        var stores = Enumerable.Range(0, 4).Select(_ => PaperStore.Open(path, verify: false)).ToList();
        try
        {
            var cache = new TermScoreCache();
            var terms = Queries.SelectMany(q => q).Distinct().ToList();
            using var start = new Barrier(stores.Count);
            var results = stores.AsParallel().WithDegreeOfParallelism(stores.Count).Select(s => { start.SignalAndWait(); return cache.Top(s, terms, 100); }).ToList();
            Assert.Equal(terms.Count, cache.Reads);
            Assert.All(results, r => Assert.Equal(results[0], r));
        }
        finally { stores.ForEach(s => s.Dispose()); }
    }

    [Fact]
    public void A_full_cache_starts_over_and_still_answers()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        new Indexer(store).Sync([SourceTestSupport.SampleListing], _ => { });
        var cache = new TermScoreCache(maxPostings: 5);
        var terms = Queries[2];
        Assert.Equal(store.LexicalSearch(LexicalQuery.Expression(terms), 50).Select(h => h.Id).Order(), cache.Top(store, terms, 50).Select(h => h.Id).Order());
    }
}

/// <summary>The catalog's lexical lists, once it has read FTS5's statistics, are FTS5's BM25 lists of the same terms, before and after the index changes.</summary>
public class CatalogLexicalScoringTests
{
    private const string Paragraph = "Large language models need long context windows; rotary position embeddings extrapolate poorly beyond training length.";

    [Fact]
    public void Lists_scored_from_postings_equal_FTS5s_and_a_refresh_reads_the_new_statistics()
    {
        using var dir = new TempDirectory();
        string index = dir.Combine("i.db"), extra = dir.Combine("extra.bib");
        File.WriteAllText(extra, "");
        using var writer = PaperStore.Open(index);
        new Indexer(writer).Sync([SourceTestSupport.SampleListing, extra], _ => { });
        using var catalog = new PaperCatalog(PaperStore.Open(index, verify: false), null);
        AssertListsAreFTS5s(catalog, writer);

        // Papers added: the refreshed catalog scores with the new row count, lengths and postings.
        File.WriteAllText(extra, string.Concat(Enumerable.Range(0, 30).Select(i =>
            $"@article{{extra{i}, title = {{Rotary position context windows {i}}}, author = {{Doe, Jane}}, year = 2024, abstract = {{Long context language models and rotary embeddings, part {i}.}}}}\n")));
        new Indexer(writer).Sync([SourceTestSupport.SampleListing, extra], _ => { });
        catalog.Refresh(reloadVectors: false);
        Assert.False(catalog.HasLexicalStatistics);
        AssertListsAreFTS5s(catalog, writer);
    }

    [Fact]
    public void A_refresh_for_new_vectors_only_keeps_the_statistics_term_scores_and_lexical_lists()
    {
        using var dir = new TempDirectory();
        string index = dir.Combine("i.db");
        using var writer = PaperStore.Open(index);
        new Indexer(writer).Sync([SourceTestSupport.SampleListing], _ => { });
        using var catalog = new PaperCatalog(PaperStore.Open(index, verify: false), null);
        AssertListsAreFTS5s(catalog, writer);
        SignalQuery[] queries = [new(SignalKind.Lexical, Paragraph), new(SignalKind.LexicalTitle, Paragraph)];
        var before = catalog.Signals(queries, 200, []).Lists;
        long reads = catalog.TermReads;
        int version = catalog.Version;

        // As while embedding: vectors were added, no paper changed.
        catalog.Refresh(reloadVectors: true, papersChanged: false);
        Assert.Equal(version + 1, catalog.Version);
        Assert.True(catalog.HasLexicalStatistics);
        Assert.Equal(before, catalog.Signals(queries, 200, []).Lists);
        Assert.Equal(reads, catalog.TermReads); // the lists were kept: not one term read again

        // Papers changed: everything lexical is read again.
        catalog.Refresh(reloadVectors: false);
        Assert.False(catalog.HasLexicalStatistics);
    }

    private static void AssertListsAreFTS5s(PaperCatalog catalog, PaperStore store)
    {
        var first = new SignalQuery(SignalKind.Lexical, "attention is all you need for sequence transduction");
        catalog.Signals([first], 200, []); // starts reading the statistics
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); !catalog.HasLexicalStatistics && clock.Elapsed < TimeSpan.FromSeconds(30);) Thread.Sleep(20);
        Assert.True(catalog.HasLexicalStatistics);
        long before = catalog.TermsScoredFromPostings;

        SignalQuery[] queries = [new(SignalKind.Lexical, Paragraph, "rotary position embeddings extrapolate poorly"), new(SignalKind.LexicalTitle, Paragraph), new(SignalKind.LexicalAbstract, Paragraph)];
        var lists = catalog.Signals(queries, 200, []).Lists;
        Assert.True(catalog.TermsScoredFromPostings > before);

        var frequencies = store.DocumentFrequencies(LexicalQuery.Terms(queries[0].Focus + " " + Paragraph));
        var all = LexicalQuery.RarestTerms(Paragraph, queries[0].Focus, frequencies, PaperCatalog.MaxTerms, PaperCatalog.MaxFocusTerms, PaperCatalog.PostingBudget);
        Assert.Equal(store.LexicalSearch(LexicalQuery.Expression(all), 200), lists[0]);
        var terms = LexicalQuery.RarestTerms(Paragraph, null, frequencies, PaperCatalog.MaxTerms, PaperCatalog.MaxFocusTerms, PaperCatalog.PostingBudget);
        var fields = store.LexicalScores(LexicalQuery.Expression(terms, "title abstract"), [1, 0, 0], [0, 0, 1]);
        for (int f = 0; f < 2; f++)
            Assert.Equal(fields.Where(r => r.Scores[f] > 0).OrderByDescending(r => r.Scores[f]).ThenBy(r => r.Id).Take(200).Select(r => (r.Id, r.Scores[f])), lists[1 + f]);
    }
}

public class DocumentFrequencyTests
{
    [Fact]
    public void A_count_with_a_cap_stops_there_and_one_below_it_is_exact()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        new Indexer(store).Sync([SourceTestSupport.SampleListing], _ => { });
        var full = store.DocumentFrequencies(["language", "rotary"]);
        Assert.True(full["language"] > 3, $"{full["language"]}");
        var capped = store.DocumentFrequencies(["language", "rotary"], atMost: 3);
        Assert.Equal(3, capped["language"]);
        Assert.Equal(Math.Min(3, full["rotary"]), capped["rotary"]);
    }

    [Fact]
    public void A_cancelled_ranking_counts_no_further_term()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        new Indexer(store).Sync([SourceTestSupport.SampleListing], _ => { });
        using var stale = new CancellationTokenSource();
        int asked = 0;
        IEnumerable<string> Terms()
        {
            asked++;
            yield return "language";
            stale.Cancel(); // between two counts, where SQLite's interrupt would be lost
            asked++;
            yield return "rotary";
        }
        Assert.ThrowsAny<OperationCanceledException>(() => store.DocumentFrequencies(Terms(), ct: stale.Token));
        Assert.Equal(2, asked); // the second term was taken, then not counted
        Assert.True(store.DocumentFrequencies(["rotary"])["rotary"] > 0); // the connection counts on
    }
}
