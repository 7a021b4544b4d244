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
