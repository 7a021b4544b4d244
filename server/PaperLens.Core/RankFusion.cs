namespace PaperLens.Core;

/// <summary>Reciprocal rank fusion: each list adds weight / (k + rank) for every item it ranks (rank from 1).</summary>
public static class RankFusion
{
    public const double DefaultK = 60;

    public static Dictionary<TId, double> Fuse<TId>(IEnumerable<(IReadOnlyList<TId> Ranked, double Weight)> lists, double k = DefaultK)
        where TId : notnull
    {
        var scores = new Dictionary<TId, double>();
        foreach (var (ranked, weight) in lists)
            for (int i = 0; i < ranked.Count; i++)
                scores[ranked[i]] = scores.GetValueOrDefault(ranked[i]) + weight / (k + i + 1);
        return scores;
    }
}
