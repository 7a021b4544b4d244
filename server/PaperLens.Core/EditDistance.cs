namespace PaperLens.Core;

/// <summary>Case-insensitive Levenshtein distance that gives up early past a bound.</summary>
public static class EditDistance
{
    /// <summary>The distance, or <paramref name="bound"/> + 1 when it exceeds the bound.</summary>
    public static int Bounded(string a, string b, int bound)
    {
        if (Math.Abs(a.Length - b.Length) > bound) return bound + 1;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                rowMin = Math.Min(rowMin, current[j]);
            }
            if (rowMin > bound) return bound + 1;
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>The candidates nearest to <paramref name="key"/> (within a third of its length, at least 2 edits), nearest first.</summary>
    public static IReadOnlyList<string> Closest(string key, IEnumerable<string> candidates, int count)
    {
        int limit = Math.Max(2, key.Length / 3);
        return candidates.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(k => (Key: k, Distance: Bounded(key, k, limit)))
            .Where(x => x.Distance <= limit && !string.Equals(x.Key, key, StringComparison.Ordinal))
            .OrderBy(x => x.Distance).ThenBy(x => x.Key, StringComparer.Ordinal)
            .Take(count).Select(x => x.Key).ToList();
    }
}
