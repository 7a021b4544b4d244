using System.Text.RegularExpressions;
using PaperLens.Index;

namespace PaperLens.Features.Ranking;

/// <summary>
/// The last clause before the cursor ("…, optimised with |"): its few content words, which often name what the cited
/// paper is (a method, a data set). Scored against a candidate's title by a scan of it, no index query.
/// </summary>
public sealed partial class CursorClause
{
    /// <summary>At most this many words of the clause, the last ones.</summary>
    public const int MaxWords = 8;

    private readonly HashSet<string> _stems;

    private CursorClause(HashSet<string> stems) => _stems = stems;

    public static CursorClause Of(string clause) =>
        new(LexicalQuery.Terms(clause).Select(RankingReason.Stem).ToHashSet(StringComparer.Ordinal));

    /// <summary>The clause of the cursor's sentence (its text before the cursor) that ends at the cursor: its last words, after the last , ; : ( or dash.</summary>
    public static string Before(string sentenceBeforeCursor)
    {
        var parts = ClauseBreak().Split(sentenceBeforeCursor);
        string clause = parts.LastOrDefault(p => LexicalQuery.Terms(p).Count > 0) ?? "";
        var words = clause.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Skip(Math.Max(0, words.Length - MaxWords)));
    }

    /// <summary>
    /// The share of the clause's words (stems) that are words of <paramref name="title"/>: a word of the title that starts
    /// with the stem and ends there or with "s" or "ing" ("networks" for "network"). No allocation: this runs per candidate.
    /// </summary>
    public double ShareIn(string title)
    {
        if (_stems.Count == 0) return 0;
        int matched = 0;
        foreach (var stem in _stems) if (HasWordOf(title, stem)) matched++;
        return matched / (double)_stems.Count;
    }

    private static bool HasWordOf(string text, string stem)
    {
        for (int at = text.IndexOf(stem, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(stem, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            if (at > 0 && char.IsLetterOrDigit(text[at - 1])) continue;
            int end = at + stem.Length;
            while (end < text.Length && char.IsLetterOrDigit(text[end])) end++;
            var rest = text.AsSpan(at + stem.Length, end - at - stem.Length);
            if (rest.IsEmpty || rest.Equals("s", StringComparison.OrdinalIgnoreCase) || rest.Equals("ing", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    [GeneratedRegex(@"[,;:()\u2013\u2014]|\s-{1,3}\s")] private static partial Regex ClauseBreak();
}
