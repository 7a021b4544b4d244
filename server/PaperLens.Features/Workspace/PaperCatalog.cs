using System.Collections.Concurrent;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Index;

namespace PaperLens.Features;

public enum SignalKind { Lexical, LexicalTitle, LexicalAbstract, Dense }

/// <summary>
/// One query to rank the catalog by: BM25 over all fields, over the title or the abstract only, or dense cosine. A lexical
/// query keeps only its rarest terms, those of <paramref name="Focus"/> (the sentence at the cursor) first.
/// </summary>
public sealed record SignalQuery(SignalKind Kind, string Text, string? Focus = null);

/// <summary>What <see cref="PaperCatalog.Signals"/> found: one ranked list per query, the papers in them, and the ids of the asked keys.</summary>
public sealed record CatalogSignals(IReadOnlyList<IReadOnlyList<(long Id, double Score)>> Lists, IReadOnlyDictionary<long, StoredPaper> Papers, IReadOnlyDictionary<string, long> IdByKey);

/// <summary>
/// Read access to the paper index for editor features: ranking by context (cached per paragraph), lookups by key
/// and key prefixes. Thread-safe; the indexer writes through its own connection and calls <see cref="Refresh"/>.
/// </summary>
public sealed class PaperCatalog : IDisposable
{
    private const int RankDepth = 200;
    /// <summary>Lexical queries keep at most this many terms, of which at most <see cref="MaxFocusTerms"/> from the focus sentence.</summary>
    public const int MaxTerms = 16, MaxFocusTerms = 8;
    /// <summary>A lexical query's terms may occur in at most this many papers in all (summed): what FTS5 must score.</summary>
    public const long PostingBudget = 10_000;
    private readonly PaperStore _store;
    private readonly ConcurrentBag<PaperStore> _readers = [];
    private bool _disposed;
    private readonly IEmbedder? _embedder;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IReadOnlyList<SearchHit>> _rankCache = new(StringComparer.Ordinal);
    private readonly QueryEmbeddingCache _queryCache = new(256);
    private readonly Dictionary<(SignalKind, int, string, string?), IReadOnlyList<(long Id, double Score)>> _signalCache = new();
    private readonly Dictionary<string, long> _documentFrequency = new(StringComparer.Ordinal);
    private readonly Dictionary<long, StoredPaper> _paperCache = new();
    private PaperSearch _search;
    private VectorIndex _vectors = VectorIndex.Empty;
    /// <summary>Each query term's BM25 per paper, for this version of the index.</summary>
    private TermScoreCache _termScores = new();
    /// <summary>
    /// The keys as the last <see cref="Refresh"/> reads them, on a connection of its own (a second or more at 1M papers, so
    /// not before the catalog serves): until they are in, the keys a ranking asks for are looked up in the key index, and key
    /// prefixes and "did you mean" wait for them.
    /// </summary>
    private Task<KeyTable> _keys = Task.FromResult(new KeyTable(new Dictionary<string, long>(StringComparer.Ordinal)));

    /// <summary>Key → id of every paper, and the keys sorted case-insensitively once a pool thread has sorted them (null until then).</summary>
    private sealed class KeyTable(Dictionary<string, long> idByKey)
    {
        public Dictionary<string, long> IdByKey { get; } = idByKey;
        public string[] Keys { get; } = [.. idByKey.Keys];
        private string[]? _sorted;
        public string[]? Sorted => Volatile.Read(ref _sorted);

        /// <summary>Sorting a million keys takes seconds on a busy laptop: key prefixes scan <see cref="Keys"/> until it is done.</summary>
        public void SortInBackground() => Task.Run(() =>
        {
            var sorted = (string[])Keys.Clone();
            Array.Sort(sorted, StringComparer.OrdinalIgnoreCase);
            Volatile.Write(ref _sorted, sorted);
        });
    }
    /// <summary>Cancelled by the next <see cref="Refresh"/> (or disposal): work for this version of the index, such as reading its statistics, stops.</summary>
    private CancellationTokenSource _versionEnd = new();

    public PaperCatalog(PaperStore readStore, IEmbedder? embedder)
    {
        _store = readStore;
        _embedder = embedder;
        _search = new PaperSearch(_store, VectorIndex.Empty, embedder, _queryCache);
        Refresh(reloadVectors: true);
    }

    public static PaperCatalog Empty() => new(PaperStore.Open(":memory:"), null);

    public IEmbedder? Embedder => _embedder;
    public long Count { get; private set; }
    /// <summary>Bumped by every <see cref="Refresh"/>: results computed from an older version are stale.</summary>
    public int Version { get; private set; }

    /// <summary>
    /// Picks up what the indexer wrote: the paper count at once, the keys in the background (<see cref="_keys"/>), vectors
    /// when asked (loading them costs a scan of every vector row: the catalog serves once they are in). With
    /// <paramref name="papersChanged"/> false (only vectors were added since the last refresh, as while embedding) the
    /// lexical side stays: keys, papers read, document frequencies, term scores and FTS5's statistics, lexical lists.
    /// </summary>
    public void Refresh(bool reloadVectors, bool papersChanged = true)
    {
        lock (_lock)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var stages = new List<(string Stage, TimeSpan At)>();
            lock (_stagesLock) _loadStages = stages;
            bool loadVectors = reloadVectors && _embedder is not null;
            if (papersChanged)
            {
                _versionEnd.Cancel(); // the last version's key read and statistics read stop: nobody will use them
                _versionEnd = new CancellationTokenSource();
                Count = _store.PaperCount();
                _keys = LoadKeys(clock, stages, _versionEnd.Token);
            }
            if (loadVectors)
            {
                _vectors = _store.LoadVectors(_embedder!.ModelId, _embedder.Dimensions);
                lock (_stagesLock) stages.Add(("vectors", clock.Elapsed));
                _search = new PaperSearch(_store, _vectors, _embedder, _queryCache);
                if (_vectors.Count >= VectorGraph.Threshold && GraphPath is not null)
                {
                    var vectors = _vectors;
                    Task.Run(() => AttachGraph(vectors, (clock, stages))); // until then the dense search scans
                }
            }
            _rankCache.Clear();
            Version++;
            if (!papersChanged)
            {
                foreach (var key in _signalCache.Keys.Where(k => k.Item1 == SignalKind.Dense).ToList()) _signalCache.Remove(key);
                return;
            }
            _signalCache.Clear();
            _documentFrequency.Clear();
            _termScores = new TermScoreCache();
            _paperCache.Clear();
        }
    }

    private List<(string Stage, TimeSpan At)> _loadStages = [];
    /// <summary>Guards <see cref="_loadStages"/> alone: the key load adds to it while a caller holding the catalog's lock may wait for the keys.</summary>
    private readonly Lock _stagesLock = new();

    /// <summary>
    /// Reads every key on a connection of its own (an index in memory has one: there at once, under the lock), then sorts
    /// them on a pool thread. Says when it was done in the refresh's <paramref name="stages"/>. The next refresh cancels
    /// the read (<paramref name="ct"/>): while a large corpus is indexed, each batch refreshes, and only the last read counts.
    /// </summary>
    private Task<KeyTable> LoadKeys(System.Diagnostics.Stopwatch clock, List<(string Stage, TimeSpan At)> stages, CancellationToken ct)
    {
        KeyTable Loaded(Dictionary<string, long> idByKey)
        {
            var table = new KeyTable(idByKey);
            var at = clock.Elapsed;
            table.SortInBackground();
            lock (_stagesLock) stages.Add(("keys (in the background)", at));
            return table;
        }
        if (_store.Path == ":memory:") return Task.FromResult(Loaded(_store.LoadKeys()));
        string path = _store.Path;
        return Task.Run(() =>
        {
            using var reader = PaperStore.Open(path, verify: false);
            return Loaded(reader.LoadKeys(ct));
        }, ct);
    }

    /// <summary>What the last <see cref="Refresh"/> loaded, each with the time from its start at which it was done (keys, vectors, the graph).</summary>
    public IReadOnlyList<(string Stage, TimeSpan At)> LoadStages { get { lock (_stagesLock) return [.. _loadStages]; } }

    /// <summary>Papers served and how many of them have a vector, as loaded: no scan of the index, no lock.</summary>
    public (long Papers, long Embedded) Counts => (Count, Volatile.Read(ref _vectors).Count);

    /// <summary>The graph file of this index and model; null for an index in memory or without a model.</summary>
    private string? GraphPath => _store.Path == ":memory:" || _embedder is null ? null : VectorGraph.PathFor(_store.Path, _embedder.ModelId);
    private VectorGraph? _graph;
    private readonly Lock _graphLock = new();

    /// <summary>
    /// Maps the saved graph (once) and lets <paramref name="vectors"/> take candidates from it; with the clock of the
    /// <see cref="Refresh"/> that loaded them and its stages, says there when it was done.
    /// </summary>
    private void AttachGraph(VectorIndex vectors, (System.Diagnostics.Stopwatch Clock, List<(string, TimeSpan)> Stages)? load = null)
    {
        try
        {
            lock (_graphLock)
            {
                if (_disposed) return;
                _graph ??= VectorGraph.Open(GraphPath!, vectors.Dimensions);
                vectors.AttachGraph(_graph);
            }
            if (load is { } l && vectors.UsesGraph)
                lock (_stagesLock) l.Stages.Add(("vector graph mapped and attached", l.Clock.Elapsed));
        }
        catch (VectorGraphException) { } // a damaged graph: the scan serves, and the writer builds it again
    }

    /// <summary>
    /// Builds the graph of a large corpus when it has none or it lacks many rows (papers added or changed since), saves it
    /// beside the index and attaches it. Minutes at 1M papers, on all cores: the indexing run does it last, cancellable.
    /// Returns whether it built one.
    /// </summary>
    public bool EnsureGraph(CancellationToken ct)
    {
        var vectors = Volatile.Read(ref _vectors);
        if (GraphPath is null || vectors.Count < VectorGraph.Threshold || !VectorGraph.IsAvailable) return false;
        AttachGraph(vectors);
        if (vectors.UsesGraph && vectors.RowsOutsideGraph <= Math.Max(10_000, vectors.Count / 20)) return false;
        var built = VectorGraph.Build(vectors, GraphPath, ct);
        if (built is null) return false;
        lock (_graphLock)
        {
            if (_disposed) { built.Dispose(); return false; }
            vectors.AttachGraph(built);
            var old = _graph;
            _graph = built;
            // Searches that began on the old graph finish on it first.
            if (old is not null) _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => old.Dispose());
        }
        return true;
    }

    /// <summary>Papers ranked for a paragraph (hybrid), cached by the paragraph's text.</summary>
    public IReadOnlyList<SearchHit> Rank(string context, int depth = RankDepth, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(context)) return [];
        string cacheKey = depth + ":" + context;
        lock (_lock) if (_rankCache.TryGetValue(cacheKey, out var cached)) return cached;
        ct.ThrowIfCancellationRequested();
        _search.PrepareQuery(context); // the slow part, outside the lock
        ct.ThrowIfCancellationRequested();
        IReadOnlyList<SearchHit> hits;
        lock (_lock)
        {
            hits = _search.Search(context, new SearchOptions { Limit = depth, Depth = Math.Max(depth, 100) });
            if (_rankCache.Count > 64) _rankCache.Clear();
            _rankCache[cacheKey] = hits;
        }
        return hits;
    }

    /// <summary>Query terms whose scores were read from the index since the last <see cref="Refresh"/>.</summary>
    public long TermReads { get { lock (_lock) return _termScores.Reads; } }

    /// <summary>Of <see cref="TermReads"/>, the terms scored from their postings (FTS5's statistics read), not by FTS5's bm25().</summary>
    public long TermsScoredFromPostings { get { lock (_lock) return _termScores.Computed; } }

    /// <summary>Whether this version's FTS5 statistics are read (<see cref="EnsureStatistics"/>).</summary>
    public bool HasLexicalStatistics { get { lock (_lock) return _termScores.HasStatistics; } }

    /// <summary>Starts reading this version's FTS5 statistics now, as the first lexical ranking would; <see cref="HasLexicalStatistics"/> says when they are in.</summary>
    public void StartLexicalStatistics()
    {
        TermScoreCache terms;
        lock (_lock) terms = _termScores;
        EnsureStatistics(terms);
    }

    public bool HasDense => _embedder is not null && _vectors.Count > 0;

    /// <summary>
    /// One ranked list per query (best first, at most <paramref name="depth"/>), each cached by its kind and text, and the papers
    /// they hold plus those of <paramref name="keys"/>. Embeddings, scans and SQLite reads run outside the lock, SQLite on a
    /// reader connection of this call's own, so a slow ranking (the background ranker's) never holds up another. The lists
    /// not cached are computed on two threads at once (<see cref="ComputeLists"/>).
    /// </summary>
    public CatalogSignals Signals(IReadOnlyList<SignalQuery> queries, int depth, IEnumerable<string> keys, CancellationToken ct = default)
    {
        var keyList = keys.ToList();
        int version;
        VectorIndex vectors;
        TermScoreCache terms;
        var lists = new IReadOnlyList<(long Id, double Score)>?[queries.Count];
        lock (_lock)
        {
            (version, vectors, terms) = (Version, _vectors, _termScores);
            for (int i = 0; i < queries.Count; i++) lists[i] = CachedList(queries[i], depth);
        }
        if (queries.Any(q => q.Kind != SignalKind.Dense)) EnsureStatistics(terms);
        var papers = new PaperFetch(version);
        ComputeLists(queries, lists, vectors, terms, papers, depth, ct);
        ct.ThrowIfCancellationRequested();
        var ids = lists.SelectMany(l => l!.Select(h => h.Id)).ToList();
        Task<KeyTable> keyLoad;
        lock (_lock) keyLoad = _keys;
        // Keys not read yet (the first seconds after a start at 1M papers): the few asked are looked up in the key index.
        var idByKey = keyLoad.IsCompletedSuccessfully && keyLoad.Result.IdByKey is var known
            ? keyList.Where(known.ContainsKey).Distinct().ToDictionary(k => k, k => known[k], StringComparer.Ordinal)
            : WithReader(reader => reader.IdsOfKeys(keyList));
        ids.AddRange(idByKey.Values);
        WithReader(reader => { Fetch(reader, ids, papers); return 0; }); // what the units did not fetch: cached lists, the keys
        var found = new Dictionary<long, StoredPaper>();
        foreach (long id in ids) if (papers.Found.TryGetValue(id, out var paper)) found.TryAdd(id, paper);
        return new CatalogSignals(lists!, found, idByKey);
    }

    /// <summary>The papers one <see cref="Signals"/> call has found so far, and the ids it has asked for (each asked once).</summary>
    private sealed class PaperFetch(int version)
    {
        public int Version { get; } = version;
        public ConcurrentDictionary<long, StoredPaper> Found { get; } = new();
        public HashSet<long> Asked { get; } = [];
    }

    /// <summary>The papers of <paramref name="ids"/> not asked for yet: from the catalog's cache, else read (and cached).</summary>
    private void Fetch(PaperStore reader, IEnumerable<long> ids, PaperFetch papers)
    {
        var missing = new List<long>();
        lock (papers.Asked) foreach (long id in ids) if (papers.Asked.Add(id)) missing.Add(id);
        if (missing.Count == 0) return;
        lock (_lock)
            missing.RemoveAll(id =>
            {
                if (!_paperCache.TryGetValue(id, out var cached)) return false;
                papers.Found[id] = cached;
                return true;
            });
        var read = reader.GetPapers(missing);
        foreach (var (id, paper) in read) papers.Found[id] = paper;
        lock (_lock)
            if (papers.Version == Version)
            {
                if (_paperCache.Count + read.Count > 20_000) _paperCache.Clear();
                foreach (var (id, paper) in read) _paperCache[id] = paper;
            }
    }

    /// <summary>
    /// Fills the lists not cached. The work comes in units: a dense text to embed, an all-fields lexical list, or the title and
    /// abstract lists of one text (one pass over their postings). This thread and one pool thread take units in turn, each
    /// lexical one on a reader connection of the taker's own: the embeddings (one core each) overlap the SQLite reads. The
    /// thread that embeds the last dense text scans the vectors once for all of them (<see cref="VectorIndex.Search(IReadOnlyList{float[]}, int)"/>).
    /// Every list is what the one-thread order computes (each unit depends on nothing but its query and the caches).
    /// </summary>
    private void ComputeLists(IReadOnlyList<SignalQuery> queries, IReadOnlyList<(long Id, double Score)>?[] lists, VectorIndex vectors, TermScoreCache terms,
        PaperFetch papers, int depth, CancellationToken ct)
    {
        var units = Enumerable.Range(0, queries.Count).Where(i => lists[i] is null)
            .GroupBy(i => UnitKey(queries[i]))
            .Select(g => g.ToArray())
            .OrderBy(g => queries[g[0]].Kind == SignalKind.Dense ? 0 : 1) // the embeddings, the longest units, start first
            .ToList();
        if (units.Count == 0) return;
        int next = -1;
        // The dense units come first: each embeds its text; the one that ends last scans for all of them in one pass.
        int denseUnits = units.Count(u => queries[u[0]].Kind == SignalKind.Dense), denseLeft = denseUnits;
        var denseVectors = new float[denseUnits][];
        void DenseLists(PaperStore reader)
        {
            var found = vectors.Search(denseVectors, depth);
            for (int d = 0; d < denseUnits; d++)
            {
                var computed = new Dictionary<(SignalKind, int, string, string?), IReadOnlyList<(long Id, double Score)>>
                {
                    [ListKey(queries[units[d][0]], depth)] = found[d].Select(h => (h.Id, (double)h.Score)).ToList(),
                };
                Cache(papers.Version, computed);
                Filled(reader, units[d], computed);
            }
        }
        // The unit's papers are read while the other thread still computes (the ranking needs every listed paper).
        void Filled(PaperStore reader, int[] unit, Dictionary<(SignalKind, int, string, string?), IReadOnlyList<(long Id, double Score)>> computed)
        {
            foreach (int i in unit) lists[i] = computed[ListKey(queries[i], depth)];
            Fetch(reader, unit.SelectMany(i => lists[i]!.Select(h => h.Id)), papers);
        }
        void Work()
        {
            PaperStore? reader = null;
            IDisposable? interrupt = null;
            PaperStore Reader()
            {
                if (reader is not null) return reader;
                reader = TakeReader();
                interrupt = reader.InterruptWhen(ct); // a stale ranking stops mid-statement, not after its FTS5 query
                return reader;
            }
            try
            {
                for (int u; (u = Interlocked.Increment(ref next)) < units.Count;)
                {
                    ct.ThrowIfCancellationRequested();
                    var unit = units[u];
                    var q = queries[unit[0]];
                    if (q.Kind == SignalKind.Dense)
                    {
                        denseVectors[u] = _queryCache.GetOrAdd(q.Text, _embedder!.EmbedQuery);
                        if (Interlocked.Decrement(ref denseLeft) == 0) DenseLists(Reader());
                        continue;
                    }
                    Filled(Reader(), unit, SignalList(Reader(), terms, papers.Version, q, depth, ct));
                }
            }
            catch (Exception e)
            {
                Interlocked.Exchange(ref next, units.Count); // the other thread takes no further unit
                if (ct.IsCancellationRequested && PaperStore.WasInterrupted(e)) throw new OperationCanceledException(ct);
                throw;
            }
            finally
            {
                interrupt?.Dispose(); // before the reader goes back: no interrupt reaches its next user
                if (reader is not null) ReturnReader(reader);
            }
        }
        // An index in memory has one connection, used under the lock: one thread. So has a single unit.
        if (_store.Path == ":memory:") { lock (_lock) Work(); return; }
        if (units.Count == 1) { Work(); return; }
        // The helper helps only if it starts before this thread ran out of units: a busy pool never holds the call up.
        int helping = 0; // 1: the helper runs; -1: too late, it returns at once
        var helper = Task.Run(() => { if (Interlocked.CompareExchange(ref helping, 1, 0) == 0) Work(); }, CancellationToken.None);
        try { Work(); }
        finally
        {
            if (Interlocked.CompareExchange(ref helping, -1, 0) != 0)
                try { helper.Wait(CancellationToken.None); } // it finishes the unit it holds (it uses this call's lists)
                catch (AggregateException) { } // its failure (a cancellation, a broken reader) is rethrown below
        }
        if (helper.IsFaulted) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(helper.Exception!.InnerException ?? helper.Exception).Throw();
    }

    /// <summary>Lists computed together: the title and abstract lists of one text come from one pass.</summary>
    private static (bool Dense, bool AllFields, string Text, string? Focus) UnitKey(SignalQuery q) =>
        (q.Kind == SignalKind.Dense, q.Kind == SignalKind.Lexical, q.Text, q.Focus);

    private static (SignalKind, int, string, string?) ListKey(SignalQuery q, int depth) => (q.Kind, depth, q.Text, q.Focus);

    /// <summary>A list already known (an empty text has none to compute); null when it must be computed. Under the lock.</summary>
    private IReadOnlyList<(long Id, double Score)>? CachedList(SignalQuery q, int depth) =>
        string.IsNullOrWhiteSpace(q.Text) || (q.Kind == SignalKind.Dense && !HasDense) ? [] : _signalCache.GetValueOrDefault(ListKey(q, depth));

    /// <summary>
    /// Computes one lexical list (two for a title or abstract query: both come from one pass) outside the lock and caches
    /// them, unless the catalog was refreshed meanwhile.
    /// </summary>
    private Dictionary<(SignalKind, int, string, string?), IReadOnlyList<(long Id, double Score)>> SignalList(PaperStore reader, TermScoreCache terms,
        int version, SignalQuery q, int depth, CancellationToken ct)
    {
        var computed = new Dictionary<(SignalKind, int, string, string?), IReadOnlyList<(long Id, double Score)>>();
        if (q.Kind == SignalKind.Lexical)
            computed[ListKey(q, depth)] = terms.Top(reader, QueryTerms(reader, version, q.Text, q.Focus, ct), depth);
        else
        {
            // Title and abstract rankings of the same terms come from one pass over their postings.
            var (column, weights) = LexicalShape(q.Kind);
            var rows = terms.Scores(reader, QueryTerms(reader, version, q.Text, q.Focus, ct), column, weights);
            computed[ListKey(q with { Kind = SignalKind.LexicalTitle }, depth)] = TopByScore(rows, 0, depth);
            computed[ListKey(q with { Kind = SignalKind.LexicalAbstract }, depth)] = TopByScore(rows, 1, depth);
        }
        Cache(version, computed);
        return computed;
    }

    /// <summary>Keeps computed lists for the next ranking, unless the catalog was refreshed since <paramref name="version"/>.</summary>
    private void Cache(int version, Dictionary<(SignalKind, int, string, string?), IReadOnlyList<(long Id, double Score)>> computed)
    {
        lock (_lock)
            if (version == Version)
            {
                if (_signalCache.Count > 256) _signalCache.Clear();
                foreach (var (key, list) in computed) _signalCache[key] = list;
            }
    }

    /// <summary>The FTS5 columns and column weights a lexical list is scored by: all fields, or title and abstract apart.</summary>
    private static (string? Column, double[][] Weights) LexicalShape(SignalKind kind) =>
        kind == SignalKind.Lexical ? (null, [TermScoreCache.AllFields]) : ("title abstract", [[1, 0, 0], [0, 0, 1]]);

    /// <summary>
    /// Reads from the index what the lexical lists of <paramref name="queries"/> will need (document frequencies, each chosen
    /// term's scores) and caches it, computing no list: while a paragraph is typed its text changes with every word, its
    /// terms mostly stay, so this costs about one query per new word and leaves the ranking only sums to add.
    /// </summary>
    public void Prefetch(IReadOnlyList<SignalQuery> queries, CancellationToken ct = default)
    {
        int version;
        TermScoreCache terms;
        lock (_lock) (version, terms) = (Version, _termScores);
        var lexical = queries.Where(q => q.Kind != SignalKind.Dense && !string.IsNullOrWhiteSpace(q.Text)).DistinctBy(q => (q.Kind == SignalKind.Lexical, q.Text, q.Focus)).ToList();
        if (lexical.Count == 0) return;
        EnsureStatistics(terms);
        WithReader(reader => reader.Interruptible(ct, () =>
        {
            foreach (var q in lexical)
            {
                ct.ThrowIfCancellationRequested();
                var (column, weights) = LexicalShape(q.Kind);
                terms.Prefetch(reader, QueryTerms(reader, version, q.Text, q.Focus, ct), column, weights, ct);
            }
            return 0;
        }));
    }

    /// <summary>
    /// Has this version's term cache read FTS5's statistics (once: a scan of every row's length, about a second at 1M papers),
    /// on a pool thread and a reader of its own, so that terms are scored from their postings, several times cheaper than by
    /// FTS5's bm25() and to the same scores; until then FTS5 scores them. The next <see cref="Refresh"/> cancels the read.
    /// An index in memory (tests) reads them at once.
    /// </summary>
    private void EnsureStatistics(TermScoreCache terms)
    {
        if (terms.HasStatistics || !terms.ClaimStatisticsLoad()) return;
        CancellationToken stale;
        lock (_lock) stale = ReferenceEquals(terms, _termScores) ? _versionEnd.Token : new CancellationToken(canceled: true);
        if (_store.Path == ":memory:") { WithReader(reader => { terms.LoadStatistics(reader); return 0; }); return; }
        _ = Task.Run(() =>
        {
            try { WithReader(reader => { terms.LoadStatistics(reader, stale); return 0; }); }
            catch (Exception) { } // cancelled by a refresh, or the index is unreadable now: FTS5 goes on scoring this version's terms
        }, CancellationToken.None);
    }

    /// <summary>The best <paramref name="depth"/> rows by one of their scores (those that score at all), ties by id.</summary>
    private static List<(long Id, double Score)> TopByScore(List<(long Id, double[] Scores)> rows, int score, int depth) =>
        rows.Where(r => r.Scores[score] > 0).OrderByDescending(r => r.Scores[score]).ThenBy(r => r.Id).Take(depth)
            .Select(r => (r.Id, r.Scores[score])).ToList();

    /// <summary>
    /// The rarest terms of a text (<see cref="LexicalQuery.RarestTerms"/>), document frequencies cached until <see cref="Refresh"/>.
    /// A frequency is counted up to <see cref="CountedFrequency"/> only: a term above the posting budget is never chosen, so
    /// counts stopped there choose as full counts would, without reading a common word's whole doclist.
    /// </summary>
    private List<string> QueryTerms(PaperStore reader, int version, string text, string? focus, CancellationToken ct)
    {
        var terms = LexicalQuery.Terms(focus is null ? text : focus + " " + text);
        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (_lock)
            foreach (var t in terms)
                if (_documentFrequency.TryGetValue(t, out long n)) frequencies[t] = n;
        var found = reader.DocumentFrequencies(terms.Where(t => !frequencies.ContainsKey(t)), CountedFrequency, ct);
        lock (_lock)
            if (version == Version)
            {
                if (_documentFrequency.Count + found.Count > 200_000) _documentFrequency.Clear();
                foreach (var (term, n) in found) _documentFrequency[term] = n;
            }
        foreach (var (term, n) in found) frequencies[term] = n;
        return LexicalQuery.RarestTerms(text, focus, frequencies, MaxTerms, MaxFocusTerms, PostingBudget);
    }

    /// <summary>Document frequencies are counted to one past the posting budget (a cached count at this value may be more).</summary>
    private const long CountedFrequency = PostingBudget + 1;

    /// <summary>
    /// Runs SQLite reads on a reader connection no other call uses meanwhile (opened on first need, kept for the next);
    /// an in-memory index has only its one connection, used under the lock.
    /// </summary>
    private T WithReader<T>(Func<PaperStore, T> read)
    {
        if (_store.Path == ":memory:") lock (_lock) return read(_store);
        var reader = TakeReader();
        try { return read(reader); }
        finally { ReturnReader(reader); }
    }

    /// <summary>A reader connection for this thread alone until <see cref="ReturnReader"/>; for an index in memory, its one connection.</summary>
    private PaperStore TakeReader() =>
        _store.Path == ":memory:" ? _store : _readers.TryTake(out var reader) ? reader : PaperStore.Open(_store.Path, verify: false);

    private void ReturnReader(PaperStore reader)
    {
        if (ReferenceEquals(reader, _store)) return;
        lock (_lock) if (_disposed) reader.Dispose(); else _readers.Add(reader);
    }

    /// <summary>
    /// The best catalog record of the same paper as <paramref name="entry"/> (<see cref="Ranking.PaperIdentity.SamePaper"/>) that
    /// adds an abstract, DOI or arXiv id the entry lacks; the entry's own row does not count.
    /// </summary>
    public StoredPaper? SamePaperRecord(Paper entry)
    {
        if (string.IsNullOrWhiteSpace(entry.Title)) return null;
        var signals = Signals([new SignalQuery(SignalKind.LexicalTitle, entry.Title)], 10, []);
        return signals.Lists[0].Select(h => signals.Papers.GetValueOrDefault(h.Id)).OfType<StoredPaper>()
            .Where(p => !p.Paper.Key.Equals(entry.Key, StringComparison.OrdinalIgnoreCase) && Ranking.PaperIdentity.SamePaper(entry, p.Paper))
            .FirstOrDefault(p => (entry.Abstract is null && p.Paper.Abstract is not null) || (entry.Doi is null && p.Paper.Doi is not null) || (entry.ArxivId is null && p.Paper.ArxivId is not null));
    }

    public StoredPaper? ByKey(string key) { lock (_lock) return _store.GetByKey(key); }

    /// <summary>Papers whose key starts with the prefix (case-insensitive), or whose title or author words do.</summary>
    public IReadOnlyList<StoredPaper> PrefixMatches(string prefix, int limit)
    {
        if (prefix.Length == 0) return [];
        var keys = KeysStartingWith(prefix).Take(limit).ToList(); // outside the lock: it may wait for the keys to be read
        lock (_lock)
        {
            var byKey = keys.Select(_store.GetByKey).OfType<StoredPaper>().ToList();
            var byWords = _store.GetPapers(_store.PrefixSearch(prefix, limit)).Values;
            return byKey.Concat(byWords).DistinctBy(p => p.Id).Take(limit * 2).ToList();
        }
    }

    private IEnumerable<string> KeysStartingWith(string prefix)
    {
        var table = AllKeyTable;
        if (table.Sorted is not { } keys)
        {
            foreach (var key in table.Keys.Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.OrdinalIgnoreCase)) yield return key;
            yield break;
        }
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (string.Compare(keys[mid], prefix, StringComparison.OrdinalIgnoreCase) < 0) lo = mid + 1; else hi = mid;
        }
        for (int i = lo; i < keys.Length && keys[i].StartsWith(prefix, StringComparison.OrdinalIgnoreCase); i++) yield return keys[i];
    }

    /// <summary>The known keys closest to <paramref name="key"/> by edit distance (for "did you mean").</summary>
    public IReadOnlyList<string> ClosestKeys(string key, int count, IEnumerable<string>? extraKeys = null) =>
        EditDistance.Closest(key, extraKeys is null ? AllKeys : AllKeys.Concat(extraKeys), count);

    private string[] AllKeys => AllKeyTable.Keys;

    /// <summary>The keys of the last refresh, waiting for them while they are read (their task takes no lock of the catalog's).</summary>
    private KeyTable AllKeyTable
    {
        get
        {
            while (true)
            {
                Task<KeyTable> keys;
                lock (_lock) keys = _keys;
                try { return keys.GetAwaiter().GetResult(); }
                catch (OperationCanceledException) when (!_disposed)
                {
                    // A refresh came meanwhile and cancelled this read: wait for the read it started instead.
                    lock (_lock) if (ReferenceEquals(keys, _keys)) throw;
                }
            }
        }
    }

    /// <summary>Closes the index connections and the graph; the embedder belongs to whoever created it.</summary>
    public void Dispose()
    {
        lock (_lock) lock (_graphLock)
        {
            _disposed = true;
            _versionEnd.Cancel();
            _graph?.Dispose();
            _graph = null;
        }
        _store.Dispose();
        while (_readers.TryTake(out var reader)) reader.Dispose();
    }
}
