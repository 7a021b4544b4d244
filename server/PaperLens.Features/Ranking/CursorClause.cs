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

    /// <summary>The share of the clause's words (stems) that are words of <paramref name="title"/>.</summary>
    public double ShareIn(string title)
    {
        if (_stems.Count == 0) return 0;
        int matched = 0;
        var stems = ContentStems.OfTitle(title);
        for (int i = 0; i < stems.Length; i++)
            if (_stems.Contains(stems[i]) && Array.IndexOf(stems, stems[i]) == i) matched++; // each word once
        return matched / (double)_stems.Count;
    }

    [GeneratedRegex(@"[,;:()\u2013\u2014]|\s-{1,3}\s")] private static partial Regex ClauseBreak();
}
