using PaperLens.Core;
using PaperLens.Sources.Drafts;

namespace PaperLens.Features.CodeActions;

/// <summary>
/// Where a new citation goes: at the cursor when it is inside a sentence (after the word it is in), else before the
/// closing punctuation of the sentence it follows; into the citation already there when the cursor is in one or the
/// spot ends in one (`\cite{a,b}`, `[@a; @b]`).
/// </summary>
public static class CitationPlacement
{
    /// <summary>The edit that cites <paramref name="key"/> for a cursor at <paramref name="offset"/>; null when the citation there already has it.</summary>
    public static FileEdit? Insertion(DraftDocument draft, int offset, string key)
    {
        string text = draft.Text;
        offset = Math.Clamp(offset, 0, text.Length);
        if (draft.SiteAt(offset) is { } site)
        {
            if (site.OtherKeys.Contains(key, StringComparer.Ordinal)) return null;
            return site.KeySpan.Length == 0
                ? Insert(draft, site.KeySpan.Start, key)
                : Insert(draft, site.KeySpan.End, Separator(draft.Kind) + key);
        }
        if (CitationAt(draft, offset, inclusiveEnd: false) is { } around) return AddTo(draft, around, key);

        int at = IsInsideSentence(draft, offset) ? AfterWord(text, offset) : SentenceClose(draft, offset);
        int before = at;
        while (before > 0 && text[before - 1] is ' ' or '\t' or '~') before--;
        if (CitationAt(draft, before, inclusiveEnd: true) is { } ending && ending.Span.End == before && ending.Command != "@")
            return AddTo(draft, ending, key);
        char previous = at > 0 ? text[at - 1] : ' ';
        string citation = draft.Kind == DraftKind.Latex
            ? (char.IsWhiteSpace(previous) || previous == '~' ? "" : "~") + "\\cite{" + key + "}"
            : (char.IsWhiteSpace(previous) ? "" : " ") + "[@" + key + "]";
        return Insert(draft, at, citation);
    }

    private static string Separator(DraftKind kind) => kind == DraftKind.Latex ? "," : "; @";

    private static FileEdit Insert(DraftDocument draft, int offset, string newText) =>
        new(draft.Path, LineRange.At(draft.Lines.PositionOf(offset)), newText);

    /// <summary>Adds the key to a citation: after its last key in LaTeX, before the closing `]` in pandoc (so a locator stays with its key).</summary>
    private static FileEdit? AddTo(DraftDocument draft, DraftCitation citation, string key)
    {
        if (citation.Keys.Any(k => k.Key == key)) return null;
        if (draft.Kind == DraftKind.Markdown && citation.Command == "[@]")
            return Insert(draft, citation.Span.End - 1, "; @" + key);
        if (citation.Keys.Count == 0)
        {
            int open = draft.Text.LastIndexOf('{', citation.Span.End - 1, citation.Span.Length);
            return Insert(draft, open + 1, key);
        }
        return Insert(draft, citation.Keys[^1].Span.End, Separator(draft.Kind) + key);
    }

    private static DraftCitation? CitationAt(DraftDocument draft, int offset, bool inclusiveEnd) =>
        draft.Info.Citations.FirstOrDefault(c => offset > c.Span.Start && (offset < c.Span.End || (inclusiveEnd && offset == c.Span.End)));

    /// <summary>The cursor stands inside a sentence: within the paragraph's text, after its start and not past its closing punctuation.</summary>
    private static bool IsInsideSentence(DraftDocument draft, int offset)
    {
        var (start, end) = ParagraphSpan(draft, offset);
        if (offset <= start || offset > end) return false;
        int sentenceStart = start;
        foreach (int close in SentenceCloses(draft, start, end))
        {
            if (offset <= close) return offset > sentenceStart;
            sentenceStart = NextNonSpace(draft.Text, close + 1, end);
        }
        return offset > sentenceStart; // a last sentence without closing punctuation
    }

    /// <summary>The closing punctuation of the sentence the cursor follows (or starts), else the end of the paragraph's text.</summary>
    private static int SentenceClose(DraftDocument draft, int offset)
    {
        var (start, end) = ParagraphSpan(draft, offset);
        int? previous = null;
        foreach (int close in SentenceCloses(draft, start, end))
        {
            if (close >= offset) return previous is { } p && offset > p ? p : close; // between sentences: the one just ended
            previous = close;
        }
        if (previous is not { } last) return end;
        int tail = NextNonSpace(draft.Text, last + 1, end);
        return offset <= tail || tail >= end ? last : end; // the last sentence, unless the cursor is past text that has no close

    }

    /// <summary>Offsets of the `.`, `!` and `?` that end sentences: followed by a space or the end, not in a citation, not an abbreviation.</summary>
    private static IEnumerable<int> SentenceCloses(DraftDocument draft, int start, int end)
    {
        string text = draft.Text;
        for (int i = start; i < end; i++)
        {
            if (text[i] is not ('.' or '!' or '?')) continue;
            if (i + 1 < end && !char.IsWhiteSpace(text[i + 1])) continue;
            if (IsAbbreviation(text, i) || draft.Info.Citations.Any(c => i > c.Span.Start && i < c.Span.End)) continue;
            yield return i;
        }
    }

    /// <summary>The paragraph's text without leading and trailing white space, as offsets.</summary>
    private static (int Start, int End) ParagraphSpan(DraftDocument draft, int offset)
    {
        var paragraph = draft.ParagraphAt(draft.Lines.PositionOf(offset));
        int start = draft.Lines.OffsetOf(new LinePosition(paragraph.StartLine - 1, 0));
        int end = draft.Lines.OffsetOf(draft.Lines.LineEnd(Math.Min(paragraph.EndLine - 1, draft.Lines.End.Line)));
        string text = draft.Text;
        start = NextNonSpace(text, start, end);
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return (start, end);
    }

    private static int NextNonSpace(string text, int i, int end)
    {
        while (i < end && char.IsWhiteSpace(text[i])) i++;
        return i;
    }

    /// <summary>After the word the cursor is in; a cursor after spaces or a comma goes back to the word before them.</summary>
    private static int AfterWord(string text, int offset)
    {
        int i = offset;
        if (i == text.Length || !IsWordChar(text[i]) || i == 0 || !IsWordChar(text[i - 1]))
        {
            while (i > 0 && text[i - 1] is ' ' or '\t') i--;
            while (i > 0 && text[i - 1] is ',' or ';' or ':') i--;
            return i;
        }
        while (i < text.Length && IsWordChar(text[i])) i++;
        return i;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '-' or '\'' or '’';

    private static bool IsAbbreviation(string text, int dot)
    {
        int start = dot;
        while (start > 0 && (char.IsLetter(text[start - 1]) || text[start - 1] == '.')) start--;
        var word = text[start..dot];
        return word is "e.g" or "i.e" or "al" or "cf" or "vs" or "Fig" or "Eq" or "Sec" or "etc" or "resp" || (word.Length == 1 && char.IsUpper(word[0]));
    }
}
