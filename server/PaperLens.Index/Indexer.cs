using System.Diagnostics;
using System.Text.Json;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Sources;

namespace PaperLens.Index;

/// <summary>Where an indexing run is: phase, items done and items in all.</summary>
public sealed record IndexProgress(string Phase, long Done, long Total);

public sealed record SyncResult(int Files, int Papers, int Added, int Updated, int Removed, int Unchanged, int Problems)
{
    /// <summary>Wall time of each stage of the run, in order (reading, merging, hashing, writing, …); empty when nothing was parsed.</summary>
    public IReadOnlyList<(string Stage, TimeSpan Elapsed)> Stages { get; init; } = [];
}

public sealed record EmbedResult(int Embedded, int Pending, TimeSpan Elapsed);

/// <summary>
/// Brings the index in line with the corpus files: the lexical part first (papers and FTS5), then embeddings.
/// Each step commits in batches and compares content hashes, so a killed run resumes without loss or duplicates.
/// Several owners (the CLI, the editor's workspace) may share one index file: each keeps its own corpus paths, a run
/// reads the union of all owners' corpora, so it never removes papers that another owner's files still hold.
/// </summary>
public sealed class Indexer(PaperStore store)
{
    /// <summary>
    /// Papers written per transaction: a tenth of the changes within these bounds. Each commit writes every index page its
    /// random keys touched, so fewer commits cost less; a killed run loses one batch at most.
    /// </summary>
    private const int MinBatch = 5_000, MaxBatch = 50_000;
    /// <summary>From this many changed papers on, a run writes with <see cref="PaperStore.BulkWrite"/>.</summary>
    private const int BulkFrom = 50_000;
    private const string CorpusMetaPrefix = "corpus:";
    /// <summary>Schema 1 kept one corpus for whoever ran last; the first owner to sync adopts it.</summary>
    private const string LegacyCorpusMeta = "corpus";
    private const int EmbedBatch = 32;
    /// <summary>Texts embedded first, spread over the corpus, whose vectors fit a new model's calibration.</summary>
    private const int CalibrationTexts = 256;

    /// <summary>Who this run indexes for; a run replaces only this owner's corpus paths.</summary>
    public string Owner { get; init; } = "workspace";

    /// <summary>Optional filter over the merged papers (the eval harness uses it to take a subset).</summary>
    public Func<IReadOnlyList<Paper>, IReadOnlyList<Paper>>? Filter { get; init; }

    /// <summary>The corpus paths this owner indexed last (schema 1's single corpus when it has none yet), or null.</summary>
    public IReadOnlyList<string>? OwnCorpus() =>
        (store.GetMeta(CorpusMetaPrefix + Owner) ?? store.GetMeta(LegacyCorpusMeta)) is { } json ? JsonSerializer.Deserialize<string[]>(json) : null;

    /// <summary>True when the corpus paths or any of their files differ from what the last completed run saw.</summary>
    public bool IsStale(IReadOnlyList<string> corpusPaths)
    {
        if (store.GetMeta("sync_state") != "complete" || store.GetMeta(CorpusMetaPrefix + Owner) != CorpusKey(corpusPaths)) return true;
        return !FilesUnchanged(SourceLoader.Discover(AllCorpora(corpusPaths), _ => { }));
    }

    public SyncResult Sync(IReadOnlyList<string> corpusPaths, Action<SourceProblem> report, IProgress<IndexProgress>? progress = null, CancellationToken ct = default)
    {
        int problems = 0;
        void Report(SourceProblem p) { problems++; report(p); }

        var allPaths = AllCorpora(corpusPaths);
        var files = SourceLoader.Discover(allPaths, Report);
        // Size and modification time of every file as the last complete run saw them: nothing to parse.
        if (Filter is null && store.GetMeta("sync_state") == "complete" && store.GetMeta("corpus_union") == CorpusKey(allPaths) && FilesUnchanged(files))
        {
            SaveCorpus(corpusPaths);
            long count = store.Stats(null).Papers;
            progress?.Report(new IndexProgress("reading", files.Count, files.Count));
            return new SyncResult(files.Count, (int)count, 0, 0, 0, (int)count, problems);
        }

        var clock = new StageClock();
        store.SetMeta("sync_state", "running");
        var read = new List<Paper>();
        for (int i = 0; i < files.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            read.AddRange(SourceLoader.Read(files[i], Report));
            progress?.Report(new IndexProgress("reading", i + 1, files.Count));
        }
        clock.End("read and parse");
        var merged = PaperMerger.MergeReported(read);
        IReadOnlyList<Paper> papers = merged.Papers;
        if (Filter is not null) papers = Filter(papers);
        // The records as read are garbage now (the merge made keyed copies): not held through the write.
        read.Clear();
        read.TrimExcess();
        clock.End("merge and key");

        store.EndBulkWrite(); // of a run killed during one
        var existing = store.LoadContentHashes();
        var wanted = new HashSet<string>(papers.Select(p => p.Key), StringComparer.Ordinal);
        var removed = existing.Keys.Where(k => !wanted.Contains(k)).ToList();
        // The diff needs the content hash of every paper whose key is stored, now (on all cores); a new paper's waits for its write.
        var storedHashes = new string?[papers.Count];
        Parallel.For(0, papers.Count, i => { if (existing.ContainsKey(papers[i].Key)) storedHashes[i] = PaperHashes.Content(papers[i]); });
        var changed = Enumerable.Range(0, papers.Count).Where(i => storedHashes[i] is not { } hash || hash != existing[papers[i].Key].ContentHash).ToList();
        int added = changed.Count(i => storedHashes[i] is null);
        clock.End("hash and diff");

        store.ApplyRows(removed, []);
        var written = store.WriteTime;
        using (changed.Count >= BulkFrom ? store.BulkWrite() : null)
        {
            int batch = Math.Clamp(changed.Count / 10, MinBatch, MaxBatch);
            // The next batch's rows (hashes, author fields) are made on another core while this one is written: papers whose
            // key was stored (upserts) apart from new ones (plain inserts, nothing to take out of the FTS5 table first).
            (List<PaperRow> Upserts, List<PaperRow> Inserts) Rows(int start)
            {
                var slice = changed.GetRange(start, Math.Clamp(changed.Count - start, 0, batch));
                return ([.. slice.Where(i => storedHashes[i] is not null).Select(i => PaperRow.Of(papers[i], storedHashes[i]!))],
                        [.. slice.Where(i => storedHashes[i] is null).Select(i => PaperRow.Of(papers[i]))]);
            }
            var next = Task.Run(() => Rows(0));
            for (int i = 0; i < changed.Count; i += batch)
            {
                var (upserts, inserts) = next.GetAwaiter().GetResult();
                ct.ThrowIfCancellationRequested();
                int following = i + batch;
                next = Task.Run(() => Rows(following));
                store.ApplyRows([], upserts, inserts);
                progress?.Report(new IndexProgress("indexing", Math.Min(following, changed.Count), changed.Count));
            }
        }
        var (rowTime, ftsTime) = (store.WriteTime.Rows - written.Rows, store.WriteTime.Fts - written.Fts);
        clock.End("write", ("paper rows", rowTime), ("FTS5 rows", ftsTime), ("commits, indexes made again, waiting for rows", null));
        store.SaveMerges(merged.Merges);
        store.SaveSources(files.Select(f => (f.Path, f.Length, f.LastWriteUtc.Ticks)));
        SaveCorpus(corpusPaths);
        store.SetMeta("corpus_union", CorpusKey(allPaths));
        store.SetMeta("sync_state", "complete");
        clock.End("finish");
        return new SyncResult(files.Count, papers.Count, added, changed.Count - added, removed.Count, papers.Count - changed.Count, problems) { Stages = clock.Stages };
    }

    /// <summary>This run's corpus with every other owner's, full paths, each once.</summary>
    private List<string> AllCorpora(IReadOnlyList<string> corpusPaths)
    {
        var all = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(IEnumerable<string> paths) { foreach (var p in paths) if (seen.Add(Path.GetFullPath(p))) all.Add(Path.GetFullPath(p)); }
        Add(corpusPaths);
        foreach (var (owner, json) in store.GetMetaWithPrefix(CorpusMetaPrefix).OrderBy(o => o.Key, StringComparer.Ordinal))
            if (owner != Owner) Add(JsonSerializer.Deserialize<string[]>(json) ?? []);
        return all;
    }

    private void SaveCorpus(IReadOnlyList<string> corpusPaths)
    {
        store.SetMeta(CorpusMetaPrefix + Owner, CorpusKey(corpusPaths));
        store.DeleteMeta(LegacyCorpusMeta);
    }

    private bool FilesUnchanged(IReadOnlyList<SourceFile> files)
    {
        var seen = store.LoadSources();
        return files.Count == seen.Count && files.All(f =>
            seen.TryGetValue(f.Path, out var s) && s.Length == f.Length && s.MtimeTicks == f.LastWriteUtc.Ticks);
    }

    /// <summary>Embeds every paper text that has no vector for this model yet, shortest first, committing every few texts.</summary>
    public EmbedResult EmbedPending(IEmbedder embedder, IProgress<IndexProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var pending = store.PendingEmbeddings(embedder.ModelId);
        pending.Sort((a, b) => a.Text.Length.CompareTo(b.Text.Length));
        int done = 0, size = 0, total = pending.Count;
        progress?.Report(new IndexProgress("embedding", 0, total));
        // The first vectors stored for a model fix its calibration: make them a spread of the corpus, not its shortest texts.
        bool calibrating = pending.Count > CalibrationTexts && store.LoadCalibration(embedder.ModelId) is null;
        if (calibrating)
        {
            var sample = Enumerable.Range(0, CalibrationTexts).Select(i => (int)((long)i * pending.Count / CalibrationTexts)).ToHashSet();
            pending = [.. pending.Where((_, i) => sample.Contains(i)), .. pending.Where((_, i) => !sample.Contains(i))];
        }
        for (int i = 0; i < pending.Count && !ct.IsCancellationRequested; i += size)
        {
            size = Math.Min(calibrating && i == 0 ? CalibrationTexts : EmbedBatch, pending.Count - i);
            var batch = pending.GetRange(i, size);
            var vectors = embedder.EmbedDocuments(batch.Select(b => b.Text).ToList(), ct);
            store.SaveEmbeddings(embedder.ModelId, batch.Select((b, j) => (b.TextHash, vectors[j])));
            done += batch.Count;
            progress?.Report(new IndexProgress("embedding", done, total));
        }
        return new EmbedResult(done, total - done, clock.Elapsed);
    }

    /// <summary>Wall time per stage: each <see cref="End"/> closes the stage running since the last one.</summary>
    private sealed class StageClock
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        public List<(string Stage, TimeSpan Elapsed)> Stages { get; } = [];

        public void End(string stage)
        {
            Stages.Add((stage, _clock.Elapsed));
            _clock.Restart();
        }

        /// <summary>Ends a stage made of parts timed elsewhere; the part without a time gets the rest.</summary>
        public void End(string stage, params (string Part, TimeSpan? Elapsed)[] parts)
        {
            var total = _clock.Elapsed;
            End(stage);
            var rest = total - parts.Sum(p => p.Elapsed?.Ticks ?? 0) * TimeSpan.FromTicks(1);
            foreach (var (part, elapsed) in parts) Stages.Add(($"{stage}: {part}", elapsed ?? rest));
        }
    }

    public static string CorpusKey(IReadOnlyList<string> corpusPaths) =>
        JsonSerializer.Serialize(corpusPaths.Select(p => Path.GetFullPath(p)).Order(StringComparer.Ordinal));
}
