using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using PaperLens.Core;

namespace PaperLens.Sources.Drafts;

/// <summary>
/// Pandoc citations in Markdown (`[@a; @b, p. 3]`, `[-@a]`, `@a`, `@{a}`), found through Markdig so that
/// code spans, code blocks, URLs, HTML and e-mail addresses are never taken for citations.
/// </summary>
public static class MarkdownDraftParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter().UseAutoLinks().UsePreciseSourceLocation().Build();

    public static DraftInfo Parse(string text)
    {
        var (excluded, frontMatter) = NonProse(text);
        var keys = new List<(CitedKey Key, TextSpan Bracket)>();
        for (int at = text.IndexOf('@'); at >= 0; at = at + 1 < text.Length ? text.IndexOf('@', at + 1) : -1)
        {
            if (IsExcluded(excluded, at) || !StartsCitation(text, at)) continue;
            var key = ReadKey(text, at);
            if (key is null) continue;
            keys.Add((key, BracketAround(text, at)));
        }
        var citations = new List<DraftCitation>();
        foreach (var group in keys.GroupBy(k => k.Bracket.Length > 0 ? k.Bracket : k.Key.Span))
        {
            var span = group.Key;
            bool bracketed = group.First().Bracket.Length > 0;
            citations.Add(new DraftCitation(DraftKind.Markdown, bracketed ? "[@]" : "@", bracketed ? span : new TextSpan(span.Start - 1, span.Length + 1),
                group.Select(g => g.Key).ToList()));
        }
        return new DraftInfo(DraftKind.Markdown, citations, frontMatter is null ? [] : BibliographyFromYaml(frontMatter)) { NonProse = excluded };
    }

    /// <summary>The pandoc key being typed at <paramref name="offset"/>: right after `@`, or within a key after `@`.</summary>
    public static CitationSite? SiteAt(string text, int offset, IReadOnlyList<TextSpan>? nonProse = null)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        int i = offset;
        while (i > 0 && IsKeyChar(text[i - 1])) i--;
        bool braced = i > 1 && text[i - 1] == '{' && text[i - 2] == '@'; // "@{ke|"
        if (braced) i--;
        if (i == 0 || text[i - 1] != '@' || !StartsCitation(text, i - 1)) return null;
        if (IsExcluded(nonProse ?? NonProse(text).Excluded, i - 1)) return null;
        int keyStart = braced ? i + 1 : i; // a cursor between "@" and "{" starts an empty key
        var bracket = BracketAround(text, i - 1);
        int keyEnd = KeyEnd(text, offset, braced);
        // Past the cursor only inside a closed `[…]` or `@{…}`: elsewhere what follows is the user's own text.
        bool closed = bracket.Length > 0 || (braced && keyEnd < text.Length && text[keyEnd] == '}');
        var others = bracket.Length == 0 ? [] : Parse(text[bracket.Start..bracket.End]).AllKeys
            .Where(k => k.Span.Start + bracket.Start != keyStart).Select(k => k.Key).ToList();
        return new CitationSite(DraftKind.Markdown, text[keyStart..offset], new TextSpan(keyStart, (closed ? keyEnd : offset) - keyStart), others)
            { KeySpan = new TextSpan(keyStart, keyEnd - keyStart) };
    }

    /// <summary>Where the key around <paramref name="offset"/> ends: at `}` when braced, else before trailing punctuation such as a full stop.</summary>
    private static int KeyEnd(string text, int offset, bool braced)
    {
        int end = offset;
        if (braced)
        {
            while (end < text.Length && text[end] is not ('}' or '\n')) end++;
            return end;
        }
        while (end < text.Length && IsKeyChar(text[end])) end++;
        while (end > offset && IsInternalPunctuation(text[end - 1])) end--;
        return end;
    }

    /// <summary>A citation `@` follows the start, a space, `[`, `;`, `-` (suppress author) or punctuation, never a letter or digit.</summary>
    private static bool StartsCitation(string text, int at)
    {
        if (at > 0 && (char.IsLetterOrDigit(text[at - 1]) || text[at - 1] is '@' or '\\' or '`')) return false;
        int wordStart = at;
        while (wordStart > 0 && !char.IsWhiteSpace(text[wordStart - 1])) wordStart--;
        return !text.AsSpan(wordStart, at - wordStart).Contains("://", StringComparison.Ordinal);
    }

    private static CitedKey? ReadKey(string text, int at)
    {
        int start = at + 1;
        if (start < text.Length && text[start] == '{')
        {
            int close = text.IndexOf('}', start);
            if (close < 0 || close == start + 1 || text.AsSpan(start, close - start).Contains('\n')) return null;
            return new CitedKey(text[(start + 1)..close], new TextSpan(start + 1, close - start - 1));
        }
        if (start >= text.Length || !(char.IsLetterOrDigit(text[start]) || text[start] == '_')) return null;
        int end = start;
        while (end < text.Length && IsKeyChar(text[end])) end++;
        while (end > start && IsInternalPunctuation(text[end - 1])) end--; // "@doe99." ends before the full stop
        return new CitedKey(text[start..end], new TextSpan(start, end - start));
    }

    private static bool IsKeyChar(char c) => char.IsLetterOrDigit(c) || c == '_' || IsInternalPunctuation(c);
    private static bool IsInternalPunctuation(char c) => c is ':' or '.' or '#' or '$' or '%' or '&' or '-' or '+' or '?' or '<' or '>' or '~' or '/';

    /// <summary>The `[…]` around a citation key on the same paragraph (not a footnote's `^[…]`), or an empty span.</summary>
    private static TextSpan BracketAround(string text, int at)
    {
        int open = at - 1;
        while (open >= 0 && text[open] is not ('[' or ']') && !(text[open] == '\n' && open > 0 && text[open - 1] == '\n')) open--;
        if (open < 0 || text[open] != '[') return default;
        if (open > 0 && text[open - 1] == '^') return default; // an inline footnote `^[…]`: its citations are in-text ones
        int close = at;
        while (close < text.Length && text[close] is not ('[' or ']') && !(text[close] == '\n' && close + 1 < text.Length && text[close + 1] == '\n')) close++;
        if (close >= text.Length || text[close] != ']') return default;
        if (close + 1 < text.Length && text[close + 1] == '(') return default; // a link's text, not a citation group
        return new TextSpan(open, close - open + 1);
    }

    /// <summary>Code, URLs, HTML tags and front matter; from Markdig, or from a line scan when Markdig refuses the text (its nesting limit).</summary>
    private static (List<TextSpan> Excluded, string? FrontMatter) NonProse(string text)
    {
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(text, Pipeline);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return MarkdownFallbackScan.NonProse(text);
        }
        var excluded = new List<TextSpan>();
        string? frontMatter = null;
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case YamlFrontMatterBlock yaml:
                    frontMatter = text.Substring(yaml.Span.Start, Math.Min(yaml.Span.Length, text.Length - yaml.Span.Start));
                    excluded.Add(new TextSpan(yaml.Span.Start, yaml.Span.Length));
                    break;
                case HtmlBlock html when html.Type is HtmlBlockType.InterruptingBlock or HtmlBlockType.NonInterruptingBlock:
                    excluded.AddRange(MarkdownFallbackScan.HtmlMarkup(text, new TextSpan(html.Span.Start, Math.Min(html.Span.Length, text.Length - html.Span.Start))));
                    break;
                case CodeBlock code when code is not FencedCodeBlock && IsInsideHtml(code):
                    break; // an indented line between `<details>` and `</details>` is prose to pandoc's readers
                case CodeBlock or HtmlBlock:
                case CodeInline or AutolinkInline or HtmlInline:
                    excluded.Add(new TextSpan(node.Span.Start, node.Span.Length));
                    break;
                case LinkInline link when link.UrlSpan.Length > 0:
                    excluded.Add(new TextSpan(link.UrlSpan.Start, link.UrlSpan.Length));
                    if (link.IsAutoLink) excluded.Add(new TextSpan(link.Span.Start, link.Span.Length));
                    break;
            }
        }
        return (excluded, frontMatter);
    }

    /// <summary>An indented block whose neighbours are both HTML blocks: the inside of `<div>…</div>`, not code.</summary>
    private static bool IsInsideHtml(CodeBlock code)
    {
        if (code.Parent is not { } parent) return false;
        int at = parent.IndexOf(code);
        return at > 0 && at + 1 < parent.Count && parent[at - 1] is HtmlBlock && parent[at + 1] is HtmlBlock;
    }

    private static bool IsExcluded(IReadOnlyList<TextSpan> excluded, int offset) => excluded.Any(s => offset >= s.Start && offset < s.End);

    /// <summary>`bibliography:` in YAML front matter, as a string, a flow list or a block list.</summary>
    private static List<string> BibliographyFromYaml(string yaml)
    {
        var result = new List<string>();
        var lines = yaml.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!line.StartsWith("bibliography:", StringComparison.Ordinal)) continue;
            var value = line["bibliography:".Length..].Trim();
            if (value.StartsWith('['))
                result.AddRange(value.Trim('[', ']').Split(',').Select(Unquote).Where(v => v.Length > 0));
            else if (value.Length > 0)
                result.Add(Unquote(value));
            else
                for (int j = i + 1; j < lines.Length && lines[j].TrimStart().StartsWith("- ", StringComparison.Ordinal); j++)
                    result.Add(Unquote(lines[j].TrimStart()[1..]));
        }
        return result;
    }

    private static string Unquote(string s) => s.Trim().Trim('"', '\'').Trim();
}
