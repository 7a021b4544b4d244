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

    [Fact]
    public void The_summed_scores_are_FTS5s_scores_of_the_OR_query()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        new Indexer(store).Sync([SourceTestSupport.SampleListing], _ => { });
        var cache = new TermScoreCache();
        foreach (var terms in Queries.Concat(Queries)) // the second round is answered from the cache
        {
            var expected = store.LexicalSearch(LexicalQuery.Expression(terms), 1000);
            var actual = cache.Top(store, terms, 1000);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Count, actual.Count);
            var byId = actual.ToDictionary(h => h.Id, h => h.Score);
            foreach (var (id, score) in expected) Assert.Equal(score, byId[id], 12);
            Assert.Equal(expected.Select(h => h.Score), actual.Select(h => h.Score)); // the same order (ties aside)

            var fields = store.LexicalScores(LexicalQuery.Expression(terms, "title abstract"), [1, 0, 0], [0, 0, 1]).ToDictionary(r => r.Id, r => r.Scores);
            var summed = cache.Scores(store, terms, "title abstract", [1, 0, 0], [0, 0, 1]);
            Assert.Equal(fields.Count, summed.Count);
            foreach (var (id, scores) in summed)
            {
                Assert.Equal(fields[id][0], scores[0], 12);
                Assert.Equal(fields[id][1], scores[1], 12);
            }
        }
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
