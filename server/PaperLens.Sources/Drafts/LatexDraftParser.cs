using PaperLens.Core;

namespace PaperLens.Sources.Drafts;

/// <summary>Finds citation commands and bibliography declarations in LaTeX, respecting % comments.</summary>
public static class LatexDraftParser
{
    public static readonly IReadOnlySet<string> CitationCommands = new HashSet<string>(StringComparer.Ordinal)
    {
        "cite", "citep", "citet", "citealp", "citealt", "citeauthor", "citeyear", "citeyearpar", "citetitle",
        "parencite", "textcite", "autocite", "footcite", "fullcite", "nocite", "smartcite", "supercite",
        "Cite", "Citep", "Citet", "Citealp", "Citealt", "Citeauthor", "Parencite", "Textcite", "Autocite", "Footcite", "Smartcite",
        "cites", "Cites", "parencites", "Parencites", "textcites", "Textcites", "autocites", "Autocites", "footcites",
    };

    private static readonly IReadOnlySet<string> BibliographyCommands = new HashSet<string>(StringComparer.Ordinal)
        { "bibliography", "addbibresource", "addglobalbib", "addsectionbib" };

    public static DraftInfo Parse(string text)
    {
        var citations = new List<DraftCitation>();
        var bibs = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '%') { i = LineEnd(text, i); continue; }
            if (c != '\\') { i++; continue; }
            int start = i;
            i++;
            int nameStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
            if (i == nameStart) { i++; continue; } // escaped char such as \% or \\
            string name = text[nameStart..i];
            if (CitationCommands.Contains(name))
            {
                var citation = ReadCitation(text, start, name, ref i);
                if (citation is not null) citations.Add(citation);
            }
            else if (BibliographyCommands.Contains(name))
            {
                int at = SkipOptionalArguments(text, i, 1);
                if (at < text.Length && text[at] == '{')
                {
                    var (keys, end) = ReadKeyList(text, at);
                    foreach (var k in keys)
                        bibs.Add(name == "bibliography" && !k.Key.EndsWith(".bib", StringComparison.OrdinalIgnoreCase) ? k.Key + ".bib" : k.Key);
                    i = end;
                }
            }
        }
        return new DraftInfo(DraftKind.Latex, citations, bibs);
    }

    /// <summary>The citation key being typed at <paramref name="offset"/>, when the cursor is inside a citation's braces.</summary>
    public static CitationSite? SiteAt(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        // Walk back to the opening brace of the key list; give up at a closing brace or a blank line.
        int open = offset - 1;
        while (open >= 0 && text[open] != '{')
        {
            if (text[open] is '}' or '\\') return null;
            if (text[open] == '\n' && open > 0 && text[open - 1] == '\n') return null;
            open--;
        }
        if (open < 0) return null;
        var command = CommandBefore(text, open);
        if (command is null || !CitationCommands.Contains(command)) return null;

        int keyStart = offset;
        while (keyStart > open + 1 && text[keyStart - 1] is not (',' or '{') && !char.IsWhiteSpace(text[keyStart - 1])) keyStart--;
        int keyEnd = offset;
        while (keyEnd < text.Length && text[keyEnd] is not (',' or '}' or '%') && !char.IsWhiteSpace(text[keyEnd])) keyEnd++;
        var (keys, _) = ReadKeyList(text, open);
        var others = keys.Where(k => k.Span.Start != keyStart).Select(k => k.Key).ToList();
        return new CitationSite(DraftKind.Latex, text[keyStart..offset], new TextSpan(keyStart, keyEnd - keyStart), others);
    }

    /// <summary>The command whose argument list the brace at <paramref name="brace"/> opens, skipping optional arguments.</summary>
    private static string? CommandBefore(string text, int brace)
    {
        int i = brace - 1;
        for (int guard = 0; guard < 4; guard++)
        {
            while (i >= 0 && char.IsWhiteSpace(text[i])) i--;
            if (i >= 0 && text[i] is ']' or '}') // an optional argument, or an earlier key group of \cites{a}{b}
            {
                i = MatchingOpen(text, i) - 1;
                continue;
            }
            break;
        }
        if (i >= 0 && text[i] == '*') i--;
        int end = i + 1;
        while (i >= 0 && char.IsAsciiLetter(text[i])) i--;
        return i >= 0 && text[i] == '\\' && end > i + 1 ? text[(i + 1)..end] : null;
    }

    /// <summary>The offset of the bracket that opens the group closed at <paramref name="close"/> (-1 when unbalanced).</summary>
    private static int MatchingOpen(string text, int close)
    {
        char closing = text[close], opening = closing == ']' ? '[' : '{';
        int depth = 0;
        for (int i = close; i >= 0; i--)
        {
            if (text[i] == closing) depth++;
            else if (text[i] == opening && --depth == 0) return i;
        }
        return -1;
    }

    private static DraftCitation? ReadCitation(string text, int start, string name, ref int i)
    {
        int at = i;
        if (at < text.Length && text[at] == '*') at++;
        var keys = new List<CitedKey>();
        bool multi = name.EndsWith("cites", StringComparison.Ordinal);
        bool any = false;
        while (true)
        {
            int next = SkipOptionalArguments(text, at, 2);
            if (next >= text.Length || text[next] != '{') break;
            var (group, end) = ReadKeyList(text, next);
            keys.AddRange(group);
            at = end;
            any = true;
            if (!multi) break;
        }
        if (!any) return null;
        i = at;
        return new DraftCitation(DraftKind.Latex, name, new TextSpan(start, at - start), keys);
    }

    /// <summary>Skips whitespace, comments and up to <paramref name="max"/> [optional] arguments.</summary>
    private static int SkipOptionalArguments(string text, int i, int max)
    {
        for (int seen = 0; ; )
        {
            i = SkipSpace(text, i);
            if (seen == max || i >= text.Length || text[i] != '[') return i;
            int depth = 0;
            for (; i < text.Length; i++)
            {
                if (text[i] == '[') depth++;
                else if (text[i] == ']' && --depth == 0) { i++; break; }
            }
            seen++;
        }
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) i++;
            else if (text[i] == '%') i = LineEnd(text, i);
            else break;
        }
        return i;
    }

    /// <summary>Comma-separated keys between braces starting at <paramref name="open"/>; comments skipped. Returns the offset after the closing brace.</summary>
    private static (List<CitedKey> Keys, int End) ReadKeyList(string text, int open)
    {
        var keys = new List<CitedKey>();
        int i = open + 1, keyStart = -1;
        void Flush(int end)
        {
            if (keyStart < 0) return;
            int e = end;
            while (e > keyStart && char.IsWhiteSpace(text[e - 1])) e--;
            if (e > keyStart) keys.Add(new CitedKey(text[keyStart..e], new TextSpan(keyStart, e - keyStart)));
            keyStart = -1;
        }
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '}') { Flush(i); return (keys, i + 1); }
            if (c == '%') { Flush(i); i = LineEnd(text, i); continue; }
            if (c == ',') Flush(i);
            else if (c == '{' || (c == '\n' && i + 1 < text.Length && text[i + 1] == '\n')) { Flush(i); return (keys, i); }
            else if (!char.IsWhiteSpace(c) && keyStart < 0) keyStart = i;
            i++;
        }
        Flush(i);
        return (keys, i);
    }

    private static int LineEnd(string text, int i)
    {
        int n = text.IndexOf('\n', i);
        return n < 0 ? text.Length : n + 1;
    }
}
