using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using PaperLens.Core;
using PaperLens.Sources.Drafts;

namespace PaperLens.Features.Ranking;

/// <summary>
/// What the editor knows at a cursor: the sentence being written (with the one before it and any text after the cursor),
/// the paragraph, the draft's title and abstract, and the keys cited in this paragraph (at other sites) and elsewhere.
/// </summary>
public sealed partial record CitationQuery(
    string Sentence, string Paragraph, string Global, string? DraftTitle,
    IReadOnlySet<string> CitedInParagraph, IReadOnlyDictionary<string, int> CitedInDraft, string? DraftPath = null, int Offset = -1)
{
    /// <summary>The cursor's sentence alone (up to the cursor and the rest of it after).</summary>
    public string CursorSentence { get; init; } = "";

    /// <summary>The last clause of the cursor's sentence before the cursor (<see cref="Ranking.CursorClause.Before"/>).</summary>
    public string CursorClause { get; init; } = "";

    public static CitationQuery ForText(string text) =>
        new(text, text, "", null, new HashSet<string>(), new Dictionary<string, int>());

    /// <summary>The query at a position of a draft; the citation under the cursor (if any) counts as not yet written.</summary>
    public static CitationQuery At(DraftDocument draft, LinePosition position)
    {
        var paragraph = draft.ParagraphAt(position);
        int offset = draft.Lines.OffsetOf(position);
        int paraStart = draft.Lines.OffsetOf(new LinePosition(paragraph.StartLine - 1, 0));
        int paraEnd = paragraph.EndLine <= draft.Lines.End.Line ? draft.Lines.OffsetOf(new LinePosition(paragraph.EndLine, 0)) : draft.Text.Length;
        paraStart = Math.Min(paraStart, offset); paraEnd = Math.Max(paraEnd, offset);
        var here = draft.Info.Citations.FirstOrDefault(c => c.Span.Contains(offset));
        int cutStart = here?.Span.Start ?? offset, cutEnd = here?.Span.End ?? offset;
        bool unparsedSite = false;
        if (here is null && DraftParser.SiteAt(draft.Text, offset, draft.Kind, draft.Info) is { } site)
        {
            cutEnd = Math.Max(cutEnd, site.ReplaceSpan.End);
            if (draft.Kind == DraftKind.Markdown) (cutStart, cutEnd, unparsedSite) = (PandocOpening(draft.Text, Math.Min(cutStart, site.KeySpan.Start)), PandocClosing(draft.Text, cutEnd), true);
        }
        cutStart = Math.Clamp(cutStart, paraStart, paraEnd); cutEnd = Math.Clamp(cutEnd, cutStart, paraEnd);

        string before = DraftText.ToPlainText(draft.Text[paraStart..cutStart], draft.Kind);
        string after = DraftText.ToPlainText(draft.Text[cutEnd..paraEnd], draft.Kind);
        // An empty or unclosed `[@` is no pandoc citation to the plain text: leave it out, as a parsed citation is, so the
        // query (and the ranking cached for it before `[@` was typed) stays the same.
        string paragraphText = unparsedSite ? DraftText.ToPlainText(draft.Text[paraStart..cutStart] + " " + draft.Text[cutEnd..paraEnd], draft.Kind) : paragraph.Text;
        var inParagraph = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var inDraft = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var citation in draft.Info.Citations)
        {
            if (citation == here) continue;
            bool sameParagraph = citation.Span.Start >= paraStart && citation.Span.Start < paraEnd;
            foreach (var key in citation.Keys)
            {
                inDraft[key.Key] = inDraft.GetValueOrDefault(key.Key) + 1;
                if (sameParagraph) inParagraph.Add(key.Key);
            }
        }
        var front = FrontMatter.Of(draft);
        string sentenceBefore = SentenceEnd().Split(before)[^1];
        return new CitationQuery(SentenceWindow(before, after), paragraphText, front.Text, front.Title, inParagraph, inDraft, draft.Path, offset)
        {
            CursorSentence = (sentenceBefore + " " + SentenceEnd().Split(after)[0]).Trim(),
            CursorClause = Ranking.CursorClause.Before(sentenceBefore),
        };
    }

    /// <summary>The sentence before the cursor's, the cursor's sentence up to the cursor, and the rest of that sentence after it.</summary>
    public static string SentenceWindow(string before, string after)
    {
        var sentences = SentenceEnd().Split(before);
        string window = string.Join(" ", sentences.Skip(Math.Max(0, sentences.Length - 2)));
        string rest = SentenceEnd().Split(after)[0];
        return (window + " " + rest).Trim();
    }

    /// <summary>
    /// Where the sentence holding <paramref name="from"/> ends in <paramref name="text"/>: the next break the query splits
    /// its sentences at ("." "!" "?" then a capital, a digit, a bracket or a quote), or the end of the text.
    /// </summary>
    public static int SentenceEndAfter(string text, int from) => SentenceEnd().Match(text, from) is { Success: true } m ? m.Index : text.Length;

    /// <summary>Where a pandoc citation being typed opens: back over its `@`, `-` and `[`.</summary>
    private static int PandocOpening(string text, int keyStart)
    {
        while (keyStart > 0 && text[keyStart - 1] is '@' or '-' or '[') keyStart--;
        return keyStart;
    }

    /// <summary>Past the `]` that closes an empty pandoc citation (the editor adds it with `[`).</summary>
    private static int PandocClosing(string text, int keyEnd) => keyEnd < text.Length && text[keyEnd] == ']' ? keyEnd + 1 : keyEnd;

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\d(\[""'])")] private static partial Regex SentenceEnd();
}

/// <summary>A draft's title and abstract (LaTeX \title and the abstract environment; Markdown front matter), parsed once per version.</summary>
internal sealed partial record FrontMatter(string? Title, string Text)
{
    private static readonly ConditionalWeakTable<DraftDocument, FrontMatter> Cache = new();

    public static FrontMatter Of(DraftDocument draft) => Cache.GetValue(draft, Parse);

    private static FrontMatter Parse(DraftDocument draft)
    {
        string text = draft.Text;
        string? title = null, abstractText = null;
        if (draft.Kind == DraftKind.Latex)
        {
            if (LatexTitle().Match(text) is { Success: true } t) title = Braced(text, t.Index + t.Length - 1);
            if (LatexAbstract().Match(text) is { Success: true } a) abstractText = a.Groups[1].Value;
        }
        else if (YamlFront().Match(text) is { Success: true } yaml)
        {
            foreach (Match field in YamlField().Matches(yaml.Groups[1].Value))
            {
                string value = field.Groups[2].Value.Trim().Trim('"', '\'', '|', '>').Trim();
                if (field.Groups[1].Value == "title") title = value; else abstractText = value;
            }
        }
        title = title is null ? null : DraftText.ToPlainText(title, draft.Kind);
        string plainAbstract = abstractText is null ? "" : DraftText.ToPlainText(abstractText, draft.Kind);
        return new FrontMatter(string.IsNullOrWhiteSpace(title) ? null : title, ((title ?? "") + " " + plainAbstract).Trim());
    }

    /// <summary>The text of the brace group opening at <paramref name="open"/>.</summary>
    private static string? Braced(string text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length && i < open + 2000; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return text[(open + 1)..i];
        }
        return null;
    }

    [GeneratedRegex(@"(?m)^[^%\n]*?\\title\s*(\[[^\]]*\])?\s*\{")] private static partial Regex LatexTitle();
    [GeneratedRegex(@"\\begin\{abstract\}(.{0,6000}?)\\end\{abstract\}", RegexOptions.Singleline)] private static partial Regex LatexAbstract();
    [GeneratedRegex(@"\A---\r?\n(.*?)\r?\n---", RegexOptions.Singleline)] private static partial Regex YamlFront();
    [GeneratedRegex(@"(?m)^(title|abstract):[ \t]*(.*(?:\r?\n[ \t]+.*)*)")] private static partial Regex YamlField();
}
