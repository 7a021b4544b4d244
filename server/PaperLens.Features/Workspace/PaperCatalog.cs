using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Index;

namespace PaperLens.Features;

/// <summary>
/// Read access to the paper index for editor features: ranking by context (cached per paragraph), lookups by key
/// and key prefixes. Thread-safe; the indexer writes through its own connection and calls <see cref="Refresh"/>.
/// </summary>
public sealed class PaperCatalog : IDisposable
{
    private const int RankDepth = 200;
    private readonly PaperStore _store;
    private readonly IEmbedder? _embedder;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IReadOnlyList<SearchHit>> _rankCache = new(StringComparer.Ordinal);
    private readonly QueryEmbeddingCache _queryCache = new(256);
    private PaperSearch _search;
    private string[] _sortedKeys = [];

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

    /// <summary>Picks up what the indexer wrote: keys always, vectors when asked (loading them costs a scan).</summary>
    public void Refresh(bool reloadVectors)
    {
        lock (_lock)
        {
            var keys = _store.AllKeys().ToArray();
            Array.Sort(keys, StringComparer.OrdinalIgnoreCase);
            _sortedKeys = keys;
            Count = keys.Length;
            if (reloadVectors && _embedder is not null)
                _search = new PaperSearch(_store, _store.LoadVectors(_embedder.ModelId, _embedder.Dimensions), _embedder, _queryCache);
            _rankCache.Clear();
        }
    }

    public IndexStats Stats() { lock (_lock) return _store.Stats(_embedder?.ModelId); }

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

    public StoredPaper? ByKey(string key) { lock (_lock) return _store.GetByKey(key); }

    /// <summary>Papers whose key starts with the prefix (case-insensitive), or whose title or author words do.</summary>
    public IReadOnlyList<StoredPaper> PrefixMatches(string prefix, int limit)
    {
        if (prefix.Length == 0) return [];
        lock (_lock)
        {
            var keys = KeysStartingWith(prefix).Take(limit).ToList();
            var byKey = keys.Select(_store.GetByKey).OfType<StoredPaper>().ToList();
            var byWords = _store.GetPapers(_store.PrefixSearch(prefix, limit)).Values;
            return byKey.Concat(byWords).DistinctBy(p => p.Id).Take(limit * 2).ToList();
        }
    }

    private IEnumerable<string> KeysStartingWith(string prefix)
    {
        var keys = _sortedKeys;
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
        EditDistance.Closest(key, extraKeys is null ? _sortedKeys : _sortedKeys.Concat(extraKeys), count);

    /// <summary>Closes the index connection; the embedder belongs to whoever created it.</summary>
    public void Dispose() => _store.Dispose();
}
