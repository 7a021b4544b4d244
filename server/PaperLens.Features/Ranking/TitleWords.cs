using System.Runtime.CompilerServices;
using PaperLens.Index;

namespace PaperLens.Features.Ranking;

/// <summary>The content words of a text in order (no stop words, stemmed as <see cref="RankingReason"/> does); a title's cached by its string.</summary>
public static class ContentStems
{
    private static readonly ConditionalWeakTable<string, string[]> Titles = new();

    public static string[] OfTitle(string title) => Titles.GetValue(title, Of);

    public static string[] Of(string text) =>
        LexicalQuery.Words(text).Where(w => LexicalQuery.Terms(w).Count > 0).Select(RankingReason.Stem).ToArray();
}

/// <summary>
/// The pairs of consecutive content words of the sentence window ("collaborative filtering", "machine translation"):
/// a title that holds them as a phrase names what the sentence speaks of, which bag-of-words BM25 does not see.
/// </summary>
public sealed class SentencePhrases
{
    private readonly HashSet<(string, string)> _pairs = [];

    private SentencePhrases(string sentence)
    {
        var stems = ContentStems.Of(sentence);
        for (int i = 1; i < stems.Length; i++) _pairs.Add((stems[i - 1], stems[i]));
    }

    public static SentencePhrases Of(string sentence) => new(sentence);

    /// <summary>The share of the title's consecutive content-word pairs that are pairs of the sentence.</summary>
    public double ShareIn(string title)
    {
        var stems = ContentStems.OfTitle(title);
        if (stems.Length < 2 || _pairs.Count == 0) return 0;
        int matched = 0;
        for (int i = 1; i < stems.Length; i++) if (_pairs.Contains((stems[i - 1], stems[i]))) matched++;
        return matched / (double)(stems.Length - 1);
    }
}
