using System.Globalization;

namespace PaperLens.Index;

/// <summary>
/// BM25 of an OR of terms, summed from each term's own FTS5 BM25, which is cached. FTS5's bm25() adds, phrase by phrase,
/// the phrase's IDF times its saturated frequency in the row: each part depends on one phrase and the row alone, so a
/// term's scores serve every query that holds it. A word typed costs one query over that word's postings, not a new
/// pass over all of them. Parts are added in the terms' order, as FTS5 adds its phrases, so the sums are FTS5's.
/// Once <see cref="LoadStatistics"/> has read FTS5's collection statistics (row count, token total, every row's length),
/// a term's scores are computed here from its postings (<see cref="PaperStore.Occurrences"/>) by bm25()'s own formula,
/// in its order of operations, so they equal bm25()'s; until then, and for a word that is no single index token, FTS5's
/// bm25() scores it (it looks up each matching row's length: most of its cost).
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
    private long _held, _reads, _computed, _postingReads;
    private LexicalStatistics? _statistics;
    private int _statisticsAsked;
    /// <summary>Query word → its index token (null: none or several), as <see cref="PaperStore.IndexTokens"/> says.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> _tokens = new(StringComparer.Ordinal);
    /// <summary>
    /// Each token's postings, read once for every weighting: the paragraph's all-fields list and the sentences' title and
    /// abstract lists share their terms' reads. A read in flight is waited for, not repeated.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<TermOccurrences>> _occurrences = new(StringComparer.Ordinal);

    /// <summary>Terms read from the index so far (each read once while it stays cached).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Of <see cref="Reads"/>, the terms scored here from their postings rather than by FTS5's bm25().</summary>
    public long Computed => Interlocked.Read(ref _computed);

    /// <summary>Tokens whose postings were read (<see cref="PaperStore.Occurrences"/>): one read serves every weighting.</summary>
    public long PostingReads => Interlocked.Read(ref _postingReads);

    /// <summary>Whether the collection statistics are loaded (terms read from now on are scored from their postings).</summary>
    public bool HasStatistics => Volatile.Read(ref _statistics) is not null;

    /// <summary>True for the first caller only: that one should <see cref="LoadStatistics"/> (off the query path, it takes a scan).</summary>
    public bool ClaimStatisticsLoad() => Interlocked.Exchange(ref _statisticsAsked, 1) == 0;

    /// <summary>Takes the statistics another cache of the same index state has read (no second scan).</summary>
    public TermScoreCache Seeded(TermScoreCache other)
    {
        if (Volatile.Read(ref other._statistics) is { } statistics) Interlocked.CompareExchange(ref _statistics, statistics, null);
        return this;
    }

    /// <summary>Reads FTS5's collection statistics through <paramref name="store"/> (a scan of every row's length); cancellable.</summary>
    public void LoadStatistics(PaperStore store, CancellationToken ct = default)
    {
        if (HasStatistics) return;
        var statistics = store.LoadLexicalStatistics(ct);
        if (statistics.Rows > 0) Interlocked.CompareExchange(ref _statistics, statistics, null);
    }

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
        if (HasStatistics)
        {
            // The words not tokenized yet, in one statement batch (a term cached already needs no token).
            string[] fresh;
            lock (_lock) fresh = terms.Distinct().Where(t => !_tokens.ContainsKey(t) && !_postings.ContainsKey((column ?? "", weights, t))).ToArray();
            if (fresh.Length > 0) foreach (var (word, token) in store.IndexTokens(fresh)) _tokens[word] = token;
        }
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
                if (_held + postings.Ids.Length > maxPostings) { _postings.Clear(); _occurrences.Clear(); _held = 0; }
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
        Interlocked.Increment(ref _reads);
        if (Volatile.Read(ref _statistics) is { } statistics && ColumnMask(column) is { } mask && Token(store, term) is { } token
            && Bm25(OccurrencesOf(store, token), statistics, mask, columnWeights) is { } computed)
        {
            Interlocked.Increment(ref _computed);
            return computed;
        }
        var rows = store.LexicalScores(LexicalQuery.Expression([term], column.Length == 0 ? null : column), columnWeights);
        var postings = new Postings(new long[rows.Count], new double[rows.Count * columnWeights.Length], columnWeights.Length);
        for (int i = 0; i < rows.Count; i++)
        {
            postings.Ids[i] = rows[i].Id;
            rows[i].Scores.CopyTo(postings.Scores, i * postings.Width);
        }
        return postings;
    }

    private TermOccurrences OccurrencesOf(PaperStore store, string token)
    {
        var mine = new Lazy<TermOccurrences>(() => { Interlocked.Increment(ref _postingReads); return store.Occurrences(token); }, LazyThreadSafetyMode.ExecutionAndPublication);
        var shared = _occurrences.GetOrAdd(token, mine);
        try
        {
            var occurrences = shared.Value;
            if (ReferenceEquals(shared, mine)) lock (_lock) _held += occurrences.Ids.Length;
            return occurrences;
        }
        catch (Exception)
        {
            _occurrences.TryRemove(new KeyValuePair<string, Lazy<TermOccurrences>>(token, shared)); // a failed read is not kept
            if (ReferenceEquals(shared, mine)) throw;
            return store.Occurrences(token); // the other caller's read failed (it was cancelled): read here
        }
    }

    private string? Token(PaperStore store, string term)
    {
        if (_tokens.TryGetValue(term, out var token)) return token;
        return _tokens[term] = store.IndexTokens([term])[term];
    }

    /// <summary>The FTS5 columns (title, authors_text, abstract) a column filter lets match; null for one not known here.</summary>
    private static bool[]? ColumnMask(string column)
    {
        if (column.Length == 0) return [true, true, true];
        var mask = new bool[TermOccurrences.Columns];
        foreach (var name in column.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int c = Array.IndexOf(FtsColumns, name);
            if (c < 0) return null;
            mask[c] = true;
        }
        return mask;
    }

    private static readonly string[] FtsColumns = ["title", "authors_text", "abstract"];

    /// <summary>
    /// One term's bm25() per matching row and weighting, as FTS5's fts5Bm25Function computes it for a query of this one
    /// phrase: IDF from the rows matching in the filtered columns (at least 1e-6), the frequency the column weights of the
    /// row's instances added one by one (column order), the row's length over all columns against the mean length. Null
    /// when the postings name a row the statistics do not know (the index changed since they were read): FTS5 scores then.
    /// </summary>
    private static Postings? Bm25(TermOccurrences occurrences, LexicalStatistics statistics, bool[] mask, double[][] columnWeights)
    {
        const double k1 = 1.2, b = 0.75;
        int width = columnWeights.Length;
        // The weights as PaperStore.LexicalScores spells them in SQL, so that both paths weigh alike.
        var weights = columnWeights.Select(w => w.Select(x => double.Parse(x.ToString("0.0###", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var ids = new List<long>(occurrences.Ids.Length);
        var rows = new List<int>(occurrences.Ids.Length);
        for (int i = 0; i < occurrences.Ids.Length; i++)
        {
            long id = occurrences.Ids[i];
            int inRow = 0, matched = 0;
            for (int c = 0; c < TermOccurrences.Columns; c++)
            {
                int n = occurrences.Counts[i * TermOccurrences.Columns + c];
                inRow += n;
                if (mask[c]) matched += n;
            }
            if (id < 0 || id >= statistics.LengthById.Length || statistics.LengthById[id] < inRow) return null;
            if (matched == 0) continue;
            ids.Add(id);
            rows.Add(i);
        }
        long nRow = statistics.Rows, nHit = ids.Count;
        double avgdl = (double)statistics.Tokens / (double)nRow;
        double idf = Math.Log((nRow - nHit + 0.5) / (nHit + 0.5));
        if (idf <= 0.0) idf = 1e-6;
        var scores = new double[ids.Count * width];
        for (int j = 0; j < ids.Count; j++)
        {
            double D = statistics.LengthById[ids[j]];
            int at = rows[j] * TermOccurrences.Columns;
            for (int w = 0; w < width; w++)
            {
                double freq = 0;
                for (int c = 0; c < TermOccurrences.Columns; c++)
                {
                    if (!mask[c]) continue;
                    double weight = c < weights[w].Length ? weights[w][c] : 1.0;
                    for (int k = occurrences.Counts[at + c]; k > 0; k--) freq += weight;
                }
                double score = 0.0;
                score += idf * ((freq * (k1 + 1.0)) / (freq + k1 * (1 - b + b * D / avgdl)));
                scores[j * width + w] = -(-1.0 * score);
            }
        }
        return new Postings([.. ids], scores, width);
    }
}
