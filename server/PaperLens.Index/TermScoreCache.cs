namespace PaperLens.Index;

/// <summary>
/// BM25 of an OR of terms, summed from each term's own FTS5 BM25, which is cached. FTS5's bm25() adds, phrase by phrase,
/// the phrase's IDF times its saturated frequency in the row: each part depends on one phrase and the row alone, so a
/// term's scores serve every query that holds it. A word typed costs one query over that word's postings, not a new
/// pass over all of them. Parts are added in the terms' order, as FTS5 adds its phrases, so the sums are FTS5's.
/// Valid for one state of the index (IDF and lengths change with it): make a new one when the index changes. Thread-safe.
/// </summary>
public sealed class TermScoreCache(long maxPostings = 4_000_000)
{
    /// <summary>One term's matching rows (by id) and their scores, <see cref="Width"/> weightings per row.</summary>
    private sealed record Postings(long[] Ids, double[] Scores, int Width);

    /// <summary>The column weights of <see cref="PaperStore.LexicalSearch"/>: title 2, authors 1, abstract 1.</summary>
    public static readonly double[] AllFields = [2.0, 1.0, 1.0];

    private readonly Dictionary<(string Column, string Weights, string Term), Postings> _postings = new();
    private readonly Dictionary<(string Column, string Weights, string Term), Task<Postings>> _reading = new();
    private readonly Lock _lock = new();
    private long _held, _reads;

    /// <summary>Terms read from the index so far (each read once while it stays cached).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The best <paramref name="depth"/> rows for the OR of <paramref name="terms"/> over all fields (title weighted 2), ties by id.</summary>
    public List<(long Id, double Score)> Top(PaperStore store, IReadOnlyList<string> terms, int depth) =>
        Scores(store, terms, null, AllFields).Select(r => (r.Id, r.Scores[0]))
            .OrderByDescending(r => r.Item2).ThenBy(r => r.Id).Take(depth).ToList();

    /// <summary>
    /// Every row matching any of <paramref name="terms"/> (in <paramref name="column"/>s, space-separated, when given), with one
    /// BM25 (higher is better) per weighting of the columns (title, authors, abstract): <see cref="PaperStore.LexicalScores"/> of their OR.
    /// </summary>
    public List<(long Id, double[] Scores)> Scores(PaperStore store, IReadOnlyList<string> terms, string? column, params double[][] columnWeights)
    {
        var sums = new Dictionary<long, double[]>();
        foreach (var postings in Load(store, terms, column, columnWeights))
        {
            for (int i = 0; i < postings.Ids.Length; i++)
            {
                if (!sums.TryGetValue(postings.Ids[i], out var sum)) sums[postings.Ids[i]] = sum = new double[postings.Width];
                for (int w = 0; w < postings.Width; w++) sum[w] += postings.Scores[i * postings.Width + w];
            }
        }
        return sums.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    /// <summary>Each term's scores, from the cache or read from the index and cached (ahead of a query that will need them).</summary>
    private List<Postings> Load(PaperStore store, IReadOnlyList<string> terms, string? column, double[][] columnWeights, CancellationToken ct = default)
    {
        string weights = string.Join(';', columnWeights.Select(w => string.Join(',', w)));
        var loaded = new List<Postings>();
        foreach (var term in terms.Distinct())
        {
            ct.ThrowIfCancellationRequested();
            loaded.Add(Of(store, column ?? "", weights, term, columnWeights));
        }
        return loaded;
    }

    /// <summary>Reads and caches the terms' scores that <see cref="Scores"/> with the same column and weights will need.</summary>
    public void Prefetch(PaperStore store, IReadOnlyList<string> terms, string? column, double[][] columnWeights, CancellationToken ct) =>
        Load(store, terms, column, columnWeights, ct);

    private Postings Of(PaperStore store, string column, string weights, string term, double[][] columnWeights)
    {
        var key = (column, weights, term);
        TaskCompletionSource<Postings>? mine = null;
        Task<Postings>? reading;
        lock (_lock)
        {
            if (_postings.TryGetValue(key, out var known)) return known;
            if (!_reading.TryGetValue(key, out reading)) _reading[key] = (mine = new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        // Another caller (the background prefetch, a completion) is reading this term: wait for it rather than read it twice.
        if (reading is not null)
        {
            try { return reading.GetAwaiter().GetResult(); }
            catch (Exception) { return Read(store, column, term, columnWeights); } // its reader failed: read here
        }
        try
        {
            var postings = Read(store, column, term, columnWeights);
            lock (_lock)
            {
                if (_held + postings.Ids.Length > maxPostings) { _postings.Clear(); _held = 0; }
                if (_postings.TryAdd(key, postings)) _held += postings.Ids.Length;
                _reading.Remove(key);
            }
            mine!.SetResult(postings);
            return postings;
        }
        catch (Exception e)
        {
            lock (_lock) _reading.Remove(key);
            mine!.SetException(e);
            throw;
        }
    }

    private Postings Read(PaperStore store, string column, string term, double[][] columnWeights)
    {
        var rows = store.LexicalScores(LexicalQuery.Expression([term], column.Length == 0 ? null : column), columnWeights);
        Interlocked.Increment(ref _reads);
        var postings = new Postings(new long[rows.Count], new double[rows.Count * columnWeights.Length], columnWeights.Length);
        for (int i = 0; i < rows.Count; i++)
        {
            postings.Ids[i] = rows[i].Id;
            rows[i].Scores.CopyTo(postings.Scores, i * postings.Width);
        }
        return postings;
    }
}
