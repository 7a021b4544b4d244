using System.Diagnostics;
using System.Text.Json;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Sources;

namespace PaperLens.Index;

/// <summary>Where an indexing run is: phase, items done and items in all.</summary>
public sealed record IndexProgress(string Phase, long Done, long Total);

public sealed record SyncResult(int Files, int Papers, int Added, int Updated, int Removed, int Unchanged, int Problems);

public sealed record EmbedResult(int Embedded, int Pending, TimeSpan Elapsed);

/// <summary>
/// Brings the index in line with the corpus files: the lexical part first (papers and FTS5), then embeddings.
/// Each step commits in batches and compares content hashes, so a killed run resumes without loss or duplicates.
/// </summary>
public sealed class Indexer(PaperStore store)
{
    private const int UpsertBatch = 5_000;
    private const int EmbedBatch = 32;

    /// <summary>Optional filter over the merged papers (the eval harness uses it to take a subset).</summary>
    public Func<IReadOnlyList<Paper>, IReadOnlyList<Paper>>? Filter { get; init; }

    /// <summary>True when the corpus paths or any of their files differ from what the last completed run saw.</summary>
    public bool IsStale(IReadOnlyList<string> corpusPaths)
    {
        if (store.GetMeta("sync_state") != "complete" || store.GetMeta("corpus") != CorpusKey(corpusPaths)) return true;
        var seen = store.LoadSources();
        var files = SourceLoader.Discover(corpusPaths, _ => { });
        return files.Count != seen.Count || files.Any(f =>
            !seen.TryGetValue(f.Path, out var s) || s.Length != f.Length || s.MtimeTicks != f.LastWriteUtc.Ticks);
    }

    public SyncResult Sync(IReadOnlyList<string> corpusPaths, Action<SourceProblem> report, IProgress<IndexProgress>? progress = null, CancellationToken ct = default)
    {
        int problems = 0;
        void Report(SourceProblem p) { problems++; report(p); }

        store.SetMeta("sync_state", "running");
        var files = SourceLoader.Discover(corpusPaths, Report);
        var read = new List<Paper>();
        for (int i = 0; i < files.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            read.AddRange(SourceLoader.Read(files[i], Report));
            progress?.Report(new IndexProgress("reading", i + 1, files.Count));
        }
        IReadOnlyList<Paper> papers = PaperMerger.Merge(read);
        if (Filter is not null) papers = Filter(papers);

        var existing = store.LoadContentHashes();
        var wanted = new HashSet<string>(papers.Select(p => p.Key), StringComparer.Ordinal);
        var removed = existing.Keys.Where(k => !wanted.Contains(k)).ToList();
        var changed = papers.Where(p => !existing.TryGetValue(p.Key, out var row) || row.ContentHash != PaperHashes.Content(p)).ToList();
        int added = changed.Count(p => !existing.ContainsKey(p.Key));

        store.ApplyChanges(removed, []);
        for (int i = 0; i < changed.Count; i += UpsertBatch)
        {
            ct.ThrowIfCancellationRequested();
            store.ApplyChanges([], changed.GetRange(i, Math.Min(UpsertBatch, changed.Count - i)));
            progress?.Report(new IndexProgress("indexing", Math.Min(i + UpsertBatch, changed.Count), changed.Count));
        }
        store.SaveSources(files.Select(f => (f.Path, f.Length, f.LastWriteUtc.Ticks)));
        store.SetMeta("corpus", CorpusKey(corpusPaths));
        store.SetMeta("sync_state", "complete");
        return new SyncResult(files.Count, papers.Count, added, changed.Count - added, removed.Count, papers.Count - changed.Count, problems);
    }

    /// <summary>Embeds every paper text that has no vector for this model yet, shortest first, committing every few texts.</summary>
    public EmbedResult EmbedPending(IEmbedder embedder, IProgress<IndexProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var pending = store.PendingEmbeddings(embedder.ModelId);
        pending.Sort((a, b) => a.Text.Length.CompareTo(b.Text.Length));
        int done = 0;
        progress?.Report(new IndexProgress("embedding", 0, pending.Count));
        for (int i = 0; i < pending.Count; i += EmbedBatch)
        {
            if (ct.IsCancellationRequested) break;
            var batch = pending.GetRange(i, Math.Min(EmbedBatch, pending.Count - i));
            var vectors = embedder.EmbedDocuments(batch.Select(b => b.Text).ToList(), ct);
            store.SaveEmbeddings(embedder.ModelId, batch.Select((b, j) => (b.TextHash, vectors[j])));
            done += batch.Count;
            progress?.Report(new IndexProgress("embedding", done, pending.Count));
        }
        return new EmbedResult(done, pending.Count - done, clock.Elapsed);
    }

    public static string CorpusKey(IReadOnlyList<string> corpusPaths) =>
        JsonSerializer.Serialize(corpusPaths.Select(p => Path.GetFullPath(p)).Order(StringComparer.Ordinal));
}
