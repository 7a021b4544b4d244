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
            var names = NamesOf(query.CursorSentence);
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
        var stems = QueryStems(text);
        return LexicalQuery.Words(paper.Paper.Title + " " + (paper.Paper.Abstract ?? ""))
            .Where(w => w.Length > 2 && w != "or" && stems.Contains(Stem(w))).Distinct().Take(MaxWords).ToList();
    }

    // The names of the last cursor sentence, for the same reason.
    private static (string Text, SentenceNames Names) _lastNames = ("", SentenceNames.Of(""));

    private static SentenceNames NamesOf(string sentence)
    {
        var last = _lastNames;
        if (last.Text == sentence) return last.Names;
        var names = SentenceNames.Of(sentence);
        _lastNames = (sentence, names);
        return names;
    }

    // The stems of the last query text: one completion explains up to 50 items for the same text.
    private sealed record Stems(string Text, HashSet<string> Set);
    private static Stems _lastStems = new("", []);

    private static HashSet<string> QueryStems(string text)
    {
        var last = _lastStems;
        if (last.Text == text) return last.Set;
        var stems = new Stems(text, LexicalQuery.Terms(text).Select(Stem).ToHashSet(StringComparer.Ordinal));
        _lastStems = stems;
        return stems.Set;
    }

    /// <summary>A crude plural/suffix fold, enough to say "models" matched "model".</summary>
    private static string Stem(string word) =>
        word.Length > 4 && word.EndsWith("ing", StringComparison.Ordinal) ? word[..^3]
        : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;
}
