using PaperLens.Core;
using PaperLens.Embedding;

namespace PaperLens.Index;

public enum SearchMode { Hybrid, Lexical, Dense }

/// <summary>One ranked paper: the fused score and the lexical (BM25) and semantic (cosine) parts, each with its rank.</summary>
public sealed record SearchHit(StoredPaper Paper, double Score, double? Lexical, int? LexicalRank, double? Semantic, int? SemanticRank);

public sealed record SearchOptions
{
    public int Limit { get; init; } = 10;
    public SearchMode Mode { get; init; } = SearchMode.Hybrid;
    /// <summary>How many candidates each ranker contributes to the fusion.</summary>
    public int Depth { get; init; } = 100;
    /// <summary>Paper ids left out of the ranking (e.g. the citing paper itself).</summary>
    public IReadOnlySet<long>? Exclude { get; init; }
    public double LexicalWeight { get; init; } = 1.0;
    public double SemanticWeight { get; init; } = 1.0;
}

/// <summary>The query API: free text in, top papers out, ranked by BM25, dense cosine, or their reciprocal rank fusion.</summary>
public sealed class PaperSearch(PaperStore store, VectorIndex vectors, IEmbedder? embedder, QueryEmbeddingCache? queryCache = null)
{
    private readonly QueryEmbeddingCache _queryCache = queryCache ?? new(256);

    public bool HasDense => embedder is not null && vectors.Count > 0;

    /// <summary>Embeds the query ahead of <see cref="Search"/> (thread-safe), so a caller can do the slow part outside its own locks.</summary>
    public void PrepareQuery(string text)
    {
        if (HasDense && !string.IsNullOrWhiteSpace(text)) _queryCache.GetOrAdd(text, embedder!.EmbedQuery);
    }

    public IReadOnlyList<SearchHit> Search(string text, SearchOptions options)
    {
        var lexical = options.Mode == SearchMode.Dense ? [] : Lexical(text, options);
        var dense = options.Mode == SearchMode.Lexical || !HasDense ? [] : Dense(text, options);

        var fused = RankFusion.Fuse<long>([
            (lexical.Select(h => h.Id).ToList(), options.LexicalWeight),
            (dense.Select(h => h.Id).ToList(), options.SemanticWeight),
        ]);
        var top = fused.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(options.Limit).ToList();
        var papers = store.GetPapers(top.Select(t => t.Key));
        var lexicalById = Ranks(lexical);
        var denseById = Ranks(dense);

        return top.Where(t => papers.ContainsKey(t.Key)).Select(t =>
        {
            var lex = lexicalById.GetValueOrDefault(t.Key);
            var sem = denseById.GetValueOrDefault(t.Key);
            return new SearchHit(papers[t.Key], t.Value, lex.Rank > 0 ? lex.Score : null, lex.Rank > 0 ? lex.Rank : null,
                sem.Rank > 0 ? sem.Score : null, sem.Rank > 0 ? sem.Rank : null);
        }).ToList();
    }

    private List<(long Id, double Score)> Lexical(string text, SearchOptions options) =>
        store.LexicalSearch(LexicalQuery.Build(text), options.Depth + (options.Exclude?.Count ?? 0))
            .Where(h => options.Exclude is null || !options.Exclude.Contains(h.Id)).Take(options.Depth).ToList();

    private List<(long Id, double Score)> Dense(string text, SearchOptions options)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var query = _queryCache.GetOrAdd(text, embedder!.EmbedQuery);
        return vectors.Search(query, options.Depth + (options.Exclude?.Count ?? 0))
            .Where(h => options.Exclude is null || !options.Exclude.Contains(h.Id)).Take(options.Depth)
            .Select(h => (h.Id, (double)h.Score)).ToList();
    }

    private static Dictionary<long, (double Score, int Rank)> Ranks(List<(long Id, double Score)> hits)
    {
        var result = new Dictionary<long, (double, int)>();
        for (int i = 0; i < hits.Count; i++) result.TryAdd(hits[i].Id, (hits[i].Score, i + 1));
        return result;
    }
}

/// <summary>Query vectors by text, so re-ranking the same paragraph costs no inference. Thread-safe, bounded.</summary>
public sealed class QueryEmbeddingCache(int capacity)
{
    private readonly Dictionary<string, float[]> _vectors = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    public float[] GetOrAdd(string text, Func<string, float[]> embed)
    {
        string key = PaperHashes.Hash(text);
        lock (_lock) if (_vectors.TryGetValue(key, out var hit)) return hit;
        var vector = embed(text);
        lock (_lock)
        {
            if (_vectors.TryAdd(key, vector))
            {
                _order.Enqueue(key);
                if (_order.Count > capacity) _vectors.Remove(_order.Dequeue());
            }
        }
        return vector;
    }
}
