using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Index;

namespace PaperLens.Tests.Index;

public class IndexerTests
{
    private const string TwoPapers = """
        @article{smith2020deep,
          title = {Deep Retrieval of Scientific Papers},
          author = {Smith, Anna and Jones, Bob},
          year = {2020},
          abstract = {We retrieve scientific papers with dense vectors.}
        }
        @inproceedings{lee2021graph,
          title = {Graph Networks for Citation Recommendation},
          author = {Lee, Chen},
          year = 2021,
          abstract = {Citation graphs help recommend papers.}
        }
        """;

    private static (SyncResult Result, List<SourceProblem> Problems) Sync(PaperStore store, params string[] paths)
    {
        var problems = new List<SourceProblem>();
        return (new Indexer(store).Sync(paths, problems.Add), problems);
    }

    [Fact]
    public void Reindexing_adds_updates_removes_and_skips_unchanged_papers()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", TwoPapers);
        using var store = PaperStore.Open(dir.Combine("index.db"));

        var first = Sync(store, bib).Result;
        Assert.Equal((2, 2, 0, 0, 0), (first.Papers, first.Added, first.Updated, first.Removed, first.Unchanged));

        var again = Sync(store, bib).Result;
        Assert.Equal((0, 0, 0, 2), (again.Added, again.Updated, again.Removed, again.Unchanged));

        File.WriteAllText(bib, TwoPapers.Replace("Citation graphs help", "Citation graphs strongly help")
            .Replace("@article{smith2020deep", "@article{smith2020deeper") + "\n@misc{new2022, title = {A New Paper on Ranking}, year = 2022}\n");
        var changed = Sync(store, bib).Result;
        Assert.Equal((3, 2, 1, 1, 0), (changed.Papers, changed.Added, changed.Updated, changed.Removed, changed.Unchanged));
        Assert.Null(store.GetByKey("smith2020deep"));
        Assert.Equal("Citation graphs strongly help recommend papers.", store.GetByKey("lee2021graph")!.Paper.Abstract);
        Assert.Equal(3, store.Stats(null).Papers);
    }

    [Fact]
    public void Only_changed_texts_are_re_embedded()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", TwoPapers);
        using var store = PaperStore.Open(dir.Combine("index.db"));
        using var embedder = new HashingEmbedder();
        var indexer = new Indexer(store);

        indexer.Sync([bib], _ => { });
        Assert.Equal(2, indexer.EmbedPending(embedder).Embedded);
        Assert.Equal(0, indexer.EmbedPending(embedder).Embedded);

        File.WriteAllText(bib, TwoPapers.Replace("dense vectors", "sparse and dense vectors").Replace("year = 2021", "year = 2019"));
        indexer.Sync([bib], _ => { });
        Assert.Equal(1, indexer.EmbedPending(embedder).Embedded); // the year change keeps the text, so no new vector
        var stats = store.Stats(embedder.ModelId);
        Assert.Equal((2L, 2L, 0L), (stats.Papers, stats.Embedded, stats.Pending));
    }

    [Fact]
    public void Vectors_load_while_a_killed_bulk_write_has_left_the_text_hash_index_dropped()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", string.Concat(Enumerable.Range(0, 40).Select(i => $"@misc{{p{i}, title = {{Paper number {i}}}}}\n")));
        using var store = PaperStore.Open(dir.Combine("index.db"));
        using var embedder = new HashingEmbedder();
        var indexer = new Indexer(store);
        indexer.Sync([bib], _ => { });
        indexer.EmbedPending(embedder);
        var expected = store.LoadVectors(embedder.ModelId, embedder.Dimensions);

        store.BulkWrite(); // never ended, as in a run killed mid-build
        var loaded = store.LoadVectors(embedder.ModelId, embedder.Dimensions);

        Assert.Equal(40, loaded.Count);
        var query = new float[embedder.Dimensions];
        query[0] = 1;
        // Every paper with the same score (row order differs, so ties may too).
        Assert.Equal(expected.Search(query, 40).OrderBy(h => h.Id), loaded.Search(query, 40).OrderBy(h => h.Id));
    }

    [Fact]
    public void A_new_model_is_calibrated_on_a_spread_sample_and_every_text_is_embedded_once()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", string.Concat(Enumerable.Range(0, 300).Select(i =>
            $"@misc{{p{i}, title = {{Paper {i} {new string('x', i % 50)}}}, abstract = {{{string.Join(' ', Enumerable.Repeat("word" + i, i % 40))}}}}}\n")));
        using var store = PaperStore.Open(dir.Combine("index.db"));
        using var embedder = new HashingEmbedder();
        var indexer = new Indexer(store);
        indexer.Sync([bib], _ => { });
        var seen = new List<long>();
        var result = indexer.EmbedPending(embedder, new InlineProgress(p => seen.Add(p.Done)));
        Assert.Equal((300, 0), (result.Embedded, result.Pending));
        Assert.Equal([0L, 256L, 288L, 300L], seen); // the calibration sample first, then batches of 32
        Assert.NotNull(store.LoadCalibration(embedder.ModelId));
        Assert.Equal(300, store.LoadVectors(embedder.ModelId, embedder.Dimensions).Count);
        Assert.Equal(0, indexer.EmbedPending(embedder).Embedded);
    }

    private sealed class InlineProgress(Action<IndexProgress> report) : IProgress<IndexProgress>
    {
        public void Report(IndexProgress value) => report(value);
    }

    [Fact]
    public void A_malformed_entry_is_reported_and_the_rest_is_indexed()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", TwoPapers.Replace("@inproceedings{lee2021graph,", "@article{broken,\n  title = {Unclosed\n}\n@inproceedings{lee2021graph,"));
        using var store = PaperStore.Open(dir.Combine("index.db"));
        var (result, problems) = Sync(store, bib);
        Assert.Equal(2, result.Papers);
        var problem = Assert.Single(problems);
        Assert.Equal(bib, problem.Location.File);
        Assert.Equal(7, problem.Location.Line);
    }

    [Fact]
    public void Several_bib_files_and_folders_are_all_read()
    {
        using var dir = new TempDirectory();
        dir.File("a/one.bib", "@article{one, title = {First Paper About Retrieval}, year = 2001}");
        dir.File("a/nested/two.bib", "@article{two, title = {Second Paper About Ranking}, year = 2002}");
        var three = dir.File("three.bib", "@article{three, title = {Third Paper About Citations}, year = 2003}");
        using var store = PaperStore.Open(dir.Combine("index.db"));
        Assert.Equal(3, Sync(store, dir.Combine("a"), three).Result.Papers);
        Assert.NotNull(store.GetByKey("two"));
    }

    [Fact]
    public void Staleness_follows_file_changes()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", TwoPapers);
        using var store = PaperStore.Open(dir.Combine("index.db"));
        var indexer = new Indexer(store);
        Assert.True(indexer.IsStale([bib]));
        indexer.Sync([bib], _ => { });
        Assert.False(indexer.IsStale([bib]));
        File.AppendAllText(bib, "\n@misc{x, title = {Another Paper}}\n");
        File.SetLastWriteTimeUtc(bib, DateTime.UtcNow.AddMinutes(1));
        Assert.True(indexer.IsStale([bib]));
    }

    [Fact]
    public void Owners_sharing_one_index_file_never_remove_each_others_papers()
    {
        using var dir = new TempDirectory();
        var cliBib = dir.File("cli/a.bib", "@article{a, title = {Learning to Rank Scientific Papers}, year = 2020}");
        var workspaceBib = dir.File("ws/b.bib", "@article{b, title = {Graph Networks for Citation Recommendation}, year = 2021}");
        using var store = PaperStore.Open(dir.Combine("shared.db"));
        var cli = new Indexer(store) { Owner = "cli" };
        var workspace = new Indexer(store) { Owner = "workspace" };

        cli.Sync([cliBib], _ => { });
        var ws = workspace.Sync([workspaceBib], _ => { });
        Assert.Equal((2, 0), (ws.Papers, ws.Removed));
        Assert.Equal(0, cli.Sync([cliBib], _ => { }).Removed);
        Assert.NotNull(store.GetByKey("a"));
        Assert.NotNull(store.GetByKey("b"));
        Assert.False(workspace.IsStale([workspaceBib]));

        // Each owner's own removals still happen.
        var ws2 = workspace.Sync([], _ => { });
        Assert.Equal((1, 1), (ws2.Papers, ws2.Removed));
        Assert.Null(store.GetByKey("b"));
        Assert.Equal([cliBib], cli.OwnCorpus());
    }

    [Fact]
    public void An_unchanged_file_is_not_parsed_again_but_a_touched_one_is()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", TwoPapers);
        using var store = PaperStore.Open(dir.Combine("index.db"));
        Sync(store, bib);
        var mtime = File.GetLastWriteTimeUtc(bib);

        // Same size and time: skipped before parsing, so this same-length edit is not seen yet.
        File.WriteAllText(bib, TwoPapers.Replace("dense vectors", "dense VECTORS"));
        File.SetLastWriteTimeUtc(bib, mtime);
        var skipped = Sync(store, bib).Result;
        Assert.Equal((2, 0, 2), (skipped.Papers, skipped.Updated, skipped.Unchanged));

        File.SetLastWriteTimeUtc(bib, mtime.AddSeconds(1));   // a new time: parsed, and the hash diff finds the change
        var reread = Sync(store, bib).Result;
        Assert.Equal((1, 1), (reread.Updated, reread.Unchanged));
        Assert.EndsWith("dense VECTORS.", store.GetByKey("smith2020deep")!.Paper.Abstract);
    }

    [Fact]
    public void Merges_across_files_are_stored_with_both_sources()
    {
        using var dir = new TempDirectory();
        var a = dir.File("a.bib", "@article{vaswani2017, title = {Attention Is All You Need}, doi = {10.5555/3295222.3295349}, year = 2017}");
        var b = dir.File("b.bib", "@article{other, title = {Attention is all you need}, doi = {https://doi.org/10.5555/3295222.3295349}, year = 2017}");
        using var store = PaperStore.Open(dir.Combine("index.db"));
        Assert.Equal(1, Sync(store, a, b).Result.Papers);
        var merge = Assert.Single(store.LoadMerges());
        Assert.Equal(("vaswani2017", a, b, MergeReason.Doi), (merge.Key, merge.Kept.File, merge.Merged.File, merge.Reason));
    }

    /// <summary>Keys with their content and text hashes, and the keys each query finds, of one index file.</summary>
    private static (List<string> Rows, List<List<string>> Hits) Contents(PaperStore store, params string[] queries) =>
        (store.AllPapers().Select(p => $"{p.Paper.Key} {PaperHashes.Content(p.Paper)} {p.TextHash}").Order(StringComparer.Ordinal).ToList(),
         queries.Select(q => store.GetPapers(store.LexicalSearch(q, 100_000).Select(h => h.Id)).Values.Select(p => p.Paper.Key).Order(StringComparer.Ordinal).ToList()).ToList());

    [Fact]
    public void A_full_build_in_batches_and_an_incremental_run_give_the_rows_and_fts_hits_of_a_fresh_build()
    {
        using var dir = new TempDirectory();
        string Line(int i, string topic) =>
            $$$"""{"id":"2101.{{{i:00000}}}","title":"Paper {{{i}}} about {{{topic}}}","abstract":"Method {{{i % 37}}} for {{{topic}}} data.","authors":"Ann Lee{{{i}}}","update_date":"2021-01-05"}""";
        // More papers than one write batch holds; one author each, so that each keeps its citation key when others change.
        var lines = Enumerable.Range(0, 25_000).Select(i => Line(i, i % 2 == 0 ? "graphs" : "proteins")).ToList();
        var corpus = dir.File("arxiv.jsonl", string.Join('\n', lines));
        using var incremental = PaperStore.Open(dir.Combine("incremental.db"));
        Assert.Equal(25_000, Sync(incremental, corpus).Result.Added);

        // Blank lines keep the other records' line numbers: 100 removed, 100 changed, 100 added.
        for (int i = 0; i < 25_000; i += 250) { lines[i] = ""; lines[i + 1] = Line(i + 1, "zebras"); }
        lines.AddRange(Enumerable.Range(25_000, 100).Select(i => Line(i, "zebras")));
        File.WriteAllText(corpus, string.Join('\n', lines));
        var again = Sync(incremental, corpus).Result;
        Assert.Equal((100, 100, 100), (again.Added, again.Updated, again.Removed));

        using var fresh = PaperStore.Open(dir.Combine("fresh.db"));
        Sync(fresh, corpus);
        string[] queries = ["\"zebras\"", "\"graphs\"", "\"proteins\" AND \"method\"", "\"lee7\"", "\"25050\""];
        var expected = Contents(fresh, queries);
        Assert.Equal(200, expected.Hits[0].Count);
        var actual = Contents(incremental, queries);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Hits, actual.Hits);
    }
}
