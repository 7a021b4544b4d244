using PaperLens.Embedding;
using PaperLens.Features;
using PaperLens.Index;

namespace PaperLens.Tests.Index;

/// <summary>The catalog's start: keys and vectors loaded at once on two connections give what the store gives one after the other.</summary>
public class CatalogLoadTests
{
    /// <summary>Papers with keys that are not ASCII (read from SQLite's UTF-8 bytes) and texts some of which repeat.</summary>
    private static string Library(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
        $"@misc{{müller{i}ß, title = {{Paper {i % 70} on {(i % 3 == 0 ? "dense retrieval" : "citation graphs")}}}, abstract = {{Words {i % 70} and more}}}}\n"));

    /// <summary>An index of <see cref="Library"/>(300), every paper embedded by <paramref name="embedder"/>; its path.</summary>
    private static string EmbeddedIndex(TempDirectory dir, HashingEmbedder embedder)
    {
        var bib = dir.File("refs.bib", Library(300));
        string path = dir.Combine("index.db");
        using var writer = PaperStore.Open(path);
        var indexer = new Indexer(writer);
        indexer.Sync([bib], _ => { });
        indexer.EmbedPending(embedder);
        return path;
    }

    [Fact]
    public void Keys_and_vectors_loaded_side_by_side_are_the_stores_own()
    {
        using var dir = new TempDirectory();
        using var embedder = new HashingEmbedder();
        string path = EmbeddedIndex(dir, embedder);
        using var store = PaperStore.Open(path, verify: false);
        var keys = store.LoadKeys();
        var vectors = store.LoadVectors(embedder.ModelId, embedder.Dimensions);

        using var catalog = new PaperCatalog(PaperStore.Open(path, verify: false), embedder);

        Assert.Equal(300, keys.Count);
        Assert.Contains("müller7ß", keys.Keys);
        Assert.Equal((300L, 300L), catalog.Counts); // the count at once, whether the keys are in yet or not
        // Every key resolves to the store's id (looked up in the key index while the keys are being read), and the dense
        // list is the store's vectors' ranking.
        var signals = catalog.Signals([new SignalQuery(SignalKind.Dense, "dense retrieval words 7")], 300, keys.Keys);
        Assert.Equal(keys, signals.IdByKey);
        Assert.Equal(["müller299ß"], catalog.ClosestKeys("müller299xß", 1)); // waits for the keys
        Assert.Equal(keys, catalog.Signals([], 300, keys.Keys).IdByKey);
        Assert.Equal(["keys (in the background)", "vectors"], catalog.LoadStages.Select(s => s.Stage).Order());
        var expected = vectors.Search(embedder.EmbedQuery("dense retrieval words 7"), 300).Select(h => (h.Id, Math.Round(h.Score, 4))).Order();
        Assert.Equal(expected, signals.Lists[0].Select(h => (h.Id, Math.Round(h.Score, 4))).Order());
    }

    [Fact]
    public void A_ranking_scans_once_for_all_its_dense_texts_and_each_list_is_that_texts_own_search()
    {
        using var dir = new TempDirectory();
        using var embedder = new HashingEmbedder();
        string path = EmbeddedIndex(dir, embedder);
        using var store = PaperStore.Open(path, verify: false);
        var vectors = store.LoadVectors(embedder.ModelId, embedder.Dimensions);
        using var catalog = new PaperCatalog(PaperStore.Open(path, verify: false), embedder);
        string[] texts = ["dense retrieval words 7", "citation graphs paper 12", "words and more", "dense retrieval words 7"];
        // Dense lists among lexical ones, one text twice (one list), and a text cached before the ranking.
        catalog.Signals([new SignalQuery(SignalKind.Dense, texts[2])], 40, []);
        var queries = texts.Select(t => new SignalQuery(SignalKind.Dense, t)).Prepend(new SignalQuery(SignalKind.Lexical, "citation graphs")).ToList();
        var lists = catalog.Signals(queries, 40, []).Lists;
        for (int i = 0; i < texts.Length; i++)
            Assert.Equal(vectors.Search(embedder.EmbedQuery(texts[i]), 40).Select(h => (h.Id, (double)h.Score)), lists[i + 1]);
        Assert.NotEmpty(lists[0]);
    }

    [Fact]
    public void Keys_are_looked_up_in_the_key_index_as_loading_them_all_finds_them()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", Library(50));
        using var store = PaperStore.Open(dir.Combine("index.db"));
        new Indexer(store).Sync([bib], _ => { });
        var all = store.LoadKeys();
        var asked = all.Keys.Take(7).Append("nosuchkey").Append(all.Keys.First()).ToList();
        Assert.Equal(all.Where(k => asked.Contains(k.Key)).OrderBy(k => k.Key), store.IdsOfKeys(asked).OrderBy(k => k.Key));
        Assert.Equal(50, store.PaperCount());
    }

    [Fact]
    public void A_refresh_after_more_papers_loads_the_new_keys_and_vectors()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", Library(40));
        string path = dir.Combine("index.db");
        using var embedder = new HashingEmbedder();
        using var writer = PaperStore.Open(path);
        var indexer = new Indexer(writer);
        indexer.Sync([bib], _ => { });
        indexer.EmbedPending(embedder);
        using var catalog = new PaperCatalog(PaperStore.Open(path, verify: false), embedder);
        Assert.Equal((40L, 40L), catalog.Counts);

        File.WriteAllText(bib, Library(90));
        indexer.Sync([bib], _ => { });
        indexer.EmbedPending(embedder);
        catalog.Refresh(reloadVectors: true);

        Assert.Equal((90L, 90L), catalog.Counts);
        Assert.NotNull(catalog.ByKey("müller89ß"));
        Assert.Equal(["müller89ß"], catalog.PrefixMatches("MÜLLER89", 5).Select(p => p.Paper.Key)); // prefixes wait for the new keys
    }
    [Fact]
    public void Refreshes_in_quick_succession_cancel_the_stale_key_reads_and_key_lookups_wait_for_the_last()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", Library(30000));
        string path = dir.Combine("index.db");
        using var writer = PaperStore.Open(path);
        var indexer = new Indexer(writer);
        indexer.Sync([bib], _ => { });
        using var catalog = new PaperCatalog(PaperStore.Open(path, verify: false), null);

        File.WriteAllText(bib, Library(30050));
        indexer.Sync([bib], _ => { });
        catalog.Refresh(reloadVectors: false); // from here on every read finds müller30049ß
        // Each batch of an indexing run refreshes. A lookup waiting on a read that the next refresh cancels waits for the new one.
        // A lookup on a thread of its own takes the read in flight, then the next refresh cancels it (30k keys take milliseconds).
        var lookups = new List<(Thread Thread, IReadOnlyList<string>[] Found, Exception?[] Failed)>();
        for (int batch = 0; batch < 20; batch++)
        {
            catalog.Refresh(reloadVectors: false);
            var found = new IReadOnlyList<string>[1];
            var failed = new Exception?[1];
            var thread = new Thread(() => { try { found[0] = catalog.ClosestKeys("müller30049xß", 1); } catch (Exception e) { failed[0] = e; } });
            thread.Start();
            lookups.Add((thread, found, failed));
            Thread.Sleep(2);
        }

        foreach (var (thread, found, failed) in lookups)
        {
            thread.Join();
            Assert.Null(failed[0]);
            Assert.Equal(["müller30049ß"], found[0]);
        }
        Assert.Equal(["müller30049ß"], catalog.PrefixMatches("MÜLLER30049", 5).Select(p => p.Paper.Key));
        Assert.Equal(["müller30049ß"], catalog.ClosestKeys("müller30049xß", 1));
        Assert.Equal(30050L, catalog.Counts.Papers);
    }

    [Fact]
    public void A_cancelled_key_read_throws_a_cancellation_not_a_partial_table()
    {
        using var dir = new TempDirectory();
        using var embedder = new HashingEmbedder();
        using var store = PaperStore.Open(EmbeddedIndex(dir, embedder), verify: false);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => store.LoadKeys(cancelled.Token));
        Assert.Equal(300, store.LoadKeys().Count); // the connection reads on
    }
}
