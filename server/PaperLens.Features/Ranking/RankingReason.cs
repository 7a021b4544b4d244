using PaperLens.Index;

namespace PaperLens.Features.Ranking;

/// <summary>A few words on why a paper is suggested: the words it shares with the text, "similar in meaning", the draft's citations.</summary>
public static class RankingReason
{
    private const int MaxWords = 4;

    public static string? Explain(RankedPaper paper, CitationQuery query)
    {
        var reasons = new List<string>();
        var words = MatchingWords(paper, query.Sentence + " " + query.Paragraph);
        if (words.Count > 0) reasons.Add("matching words: " + string.Join(", ", words));
        else if (paper.Feature("cos_paragraph") > -0.05 || paper.Feature("cos_sentence") > -0.05) reasons.Add("similar in meaning");
        if (paper.Feature("names_author") > 0 || paper.Feature("title_term_in_sentence") > 0 || paper.Feature("key_in_sentence") > 0)
        {
            var names = CursorNames.For(query.CursorSentence);
            if (paper.Feature("names_author") > 0 && names.NamedAuthor(paper.Paper).Name is { } author) reasons.Add("names " + author);
            if (paper.Feature("title_term_in_sentence") > 0 && names.TitleTerm(paper.Paper) is { } term) reasons.Add("mentions " + term);
            if (paper.Feature("key_in_sentence") > 0 && names.KeyWords(paper.Key).Word is { } keyWord) reasons.Add($"its key has “{keyWord}”");
        }
        if (query.CitedInDraft.GetValueOrDefault(paper.Key) is > 0 and var n) reasons.Add($"cited {n}× in this draft");
        if (paper.CocitedWith is { } with) reasons.Add($"often cited with {with}");
        if (paper.Feature("in_paragraph") > 0) reasons.Add("already cited in this paragraph");
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    /// <summary>Query words (no stop words) found in the title or abstract, in the title's order first.</summary>
    public static IReadOnlyList<string> MatchingWords(RankedPaper paper, string text)
    {
        var stems = QueryStems.For(text);
        return LexicalQuery.Words(paper.Paper.Title + " " + (paper.Paper.Abstract ?? ""))
            .Where(w => w.Length > 2 && w != "or" && stems.Contains(Stem(w))).Distinct().Take(MaxWords).ToList();
    }

    // One completion explains up to 50 items for the same query: the stems of its text and the names of its cursor's
    // sentence are derived once.
    private static readonly LastDerived<HashSet<string>> QueryStems = new(text => LexicalQuery.Terms(text).Select(Stem).ToHashSet(StringComparer.Ordinal));
    private static readonly LastDerived<SentenceNames> CursorNames = new(SentenceNames.Of);

    /// <summary>What was derived from the last text asked for; swapped as one reference, so no thread pairs a text with another's value.</summary>
    private sealed class LastDerived<T>(Func<string, T> derive)
    {
        private sealed record Entry(string Text, T Value);
        private Entry? _last;

        public T For(string text)
        {
            var last = _last;
            if (last is not null && last.Text == text) return last.Value;
            var entry = new Entry(text, derive(text));
            _last = entry;
            return entry.Value;
        }
    }

    /// <summary>A crude plural/suffix fold, enough to say "models" matched "model".</summary>
    internal static string Stem(string word) =>
        word.Length > 4 && word.EndsWith("ing", StringComparison.Ordinal) ? word[..^3]
        : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;
}
