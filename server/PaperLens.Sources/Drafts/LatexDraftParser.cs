using PaperLens.Core;

namespace PaperLens.Sources.Drafts;

/// <summary>Finds citation commands and bibliography declarations in LaTeX, respecting % comments.</summary>
public static class LatexDraftParser
{
    /// <summary>
    /// Commands whose (first) brace group holds citation keys: LaTeX's own, natbib's, biblatex's, apacite's, the ACL
    /// styles' and harvard/chicago's, each as its manual lists it. Stars (`\citep*`) are read by the parser.
    /// </summary>
    public static readonly IReadOnlySet<string> CitationCommands = new HashSet<string>(StringComparer.Ordinal)
    {
        // LaTeX
        "cite", "nocite",
        // natbib
        "citep", "citet", "citealp", "citealt", "citeauthor", "citefullauthor", "citeyear", "citeyearpar", "citenum",
        "Citep", "Citet", "Citealp", "Citealt", "Citeauthor", "citealias", "citetalias", "citepalias",
        // biblatex
        "Cite", "parencite", "Parencite", "footcite", "Footcite", "footcitetext", "textcite", "Textcite", "smartcite", "Smartcite",
        "supercite", "autocite", "Autocite", "citetitle", "Citetitle", "citedate", "Citedate", "citeurl", "citeurldate", "fullcite", "footfullcite",
        "citename", "citelist", "citefield", "notecite", "Notecite", "pnotecite", "Pnotecite", "fnotecite", "Fnotecite",
        "cites", "Cites", "parencites", "Parencites", "footcites", "footcitetexts", "smartcites", "Smartcites",
        "textcites", "Textcites", "supercites", "autocites", "Autocites",
        // the ACL styles
        "newcite", "shortcite", "citeposs",
        // apacite
        "citeA", "citeNP", "citeANP", "citeyearNP", "citeauthorNP", "fullciteA", "fullciteNP", "fullciteANP",
        "shortciteA", "shortciteNP", "shortciteANP", "shortciteauthor",
        // harvard, chicago
        "citeasnoun", "possessivecite", "citeN", "shortciteN",
    };

    /// <summary>biblatex's volume citations, `\volcite[pre]{volume}[pages]{key}`: the keys are in the second brace group.</summary>
    public static readonly IReadOnlySet<string> VolumeCitationCommands = new HashSet<string>(StringComparer.Ordinal)
    {
        "volcite", "Volcite", "pvolcite", "Pvolcite", "fvolcite", "Fvolcite", "ftvolcite", "Ftvolcite", "svolcite", "Svolcite",
        "tvolcite", "Tvolcite", "avolcite", "Avolcite",
        "volcites", "Volcites", "pvolcites", "Pvolcites", "fvolcites", "Fvolcites", "ftvolcites", "svolcites", "Svolcites",
        "tvolcites", "Tvolcites", "avolcites", "Avolcites",
    };

    /// <summary>Whether <paramref name="name"/> (no backslash) cites keys, counting the user's own <paramref name="extra"/> macros.</summary>
    public static bool IsCitationCommand(string name, IReadOnlySet<string>? extra = null) =>
        CitationCommands.Contains(name) || VolumeCitationCommands.Contains(name) || extra?.Contains(name) == true;

    private static readonly IReadOnlySet<string> BibliographyCommands = new HashSet<string>(StringComparer.Ordinal)
        { "bibliography", "addbibresource", "addglobalbib", "addsectionbib" };

    /// <summary>Citations and bibliographies of a LaTeX text; <paramref name="extraCommands"/> are the user's own citation macros.</summary>
    public static DraftInfo Parse(string text, IReadOnlySet<string>? extraCommands = null)
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
            if (IsCitationCommand(name, extraCommands))
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
    public static CitationSite? SiteAt(string text, int offset, IReadOnlySet<string>? extraCommands = null)
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
        if (command is null || !IsCitationCommand(command, extraCommands)) return null;
        if (VolumeCitationCommands.Contains(command) && !IsSecondGroup(text, open)) return null; // the volume, not a key

        int keyStart = offset;
        while (keyStart > open + 1 && text[keyStart - 1] is not (',' or '{') && !char.IsWhiteSpace(text[keyStart - 1])) keyStart--;
        int keyEnd = offset;
        while (keyEnd < text.Length && text[keyEnd] is not (',' or '}' or '%' or '{' or '\\') && !char.IsWhiteSpace(text[keyEnd])) keyEnd++;
        var (keys, listEnd) = ReadKeyList(text, open);
        var others = keys.Where(k => k.Span.Start != keyStart).Select(k => k.Key).ToList();
        // Only a closed key list may be replaced past the cursor: in an unclosed `\cite{` what follows is the user's prose.
        bool closed = listEnd > open + 1 && text[listEnd - 1] == '}';
        int replaceEnd = closed ? keyEnd : offset;
        return new CitationSite(DraftKind.Latex, text[keyStart..offset], new TextSpan(keyStart, replaceEnd - keyStart), others)
            { KeySpan = new TextSpan(keyStart, keyEnd - keyStart) };
    }

    /// <summary>The command whose argument list the brace at <paramref name="brace"/> opens, skipping optional arguments.</summary>
    private static string? CommandBefore(string text, int brace)
    {
        int i = brace - 1;
        for (int guard = 0; guard < 8; guard++)
        {
            while (i >= 0 && char.IsWhiteSpace(text[i])) i--;
            if (i >= 0 && text[i] is ']' or '}' or ')') // an optional argument, an earlier key group of \cites{a}{b}, or (multinote)
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
        char closing = text[close], opening = closing switch { ']' => '[', ')' => '(', _ => '{' };
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
        bool volume = VolumeCitationCommands.Contains(name);
        if (multi) at = SkipNoteArguments(text, at);
        bool any = false;
        while (true)
        {
            int next = SkipOptionalArguments(text, at, 2);
            if (next >= text.Length || text[next] != '{') break;
            if (volume) // {volume}[pages] come before the key
            {
                int volumeEnd = MatchingClose(text, next);
                if (volumeEnd < 0) break;
                next = SkipOptionalArguments(text, volumeEnd + 1, 1);
                if (next >= text.Length || text[next] != '{') break;
            }
            var (group, end) = ReadKeyList(text, next);
            keys.AddRange(group.Where(k => !IsMacroParameter(k.Key)));
            at = end;
            any = true;
            if (!multi) break;
        }
        if (!any) return null;
        i = at;
        return new DraftCitation(DraftKind.Latex, name, new TextSpan(start, at - start), keys);
    }

    /// <summary>`#1` in a `\newcommand` body stands for an argument, not a key.</summary>
    private static bool IsMacroParameter(string key)
    {
        int hash = key.IndexOf('#');
        return hash >= 0 && hash + 1 < key.Length && char.IsAsciiDigit(key[hash + 1]);
    }

    /// <summary>Skips biblatex's `(multiprenote)(multipostnote)` of the `\cites` family.</summary>
    private static int SkipNoteArguments(string text, int i)
    {
        for (int seen = 0; seen < 2; seen++)
        {
            int at = SkipSpace(text, i);
            if (at >= text.Length || text[at] != '(') return i;
            int close = text.IndexOf(')', at);
            if (close < 0) return i;
            i = close + 1;
        }
        return i;
    }

    /// <summary>The offset of the brace closing the group opened at <paramref name="open"/> (-1 when unclosed).</summary>
    private static int MatchingClose(string text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return i;
        }
        return -1;
    }

    /// <summary>Whether the brace group at <paramref name="open"/> follows another one, as the key of `\volcite{volume}{key}` does.</summary>
    private static bool IsSecondGroup(string text, int open)
    {
        int i = open - 1;
        while (i >= 0 && char.IsWhiteSpace(text[i])) i--;
        if (i >= 0 && text[i] == ']') i = MatchingOpen(text, i) - 1;
        while (i >= 0 && char.IsWhiteSpace(text[i])) i--;
        return i >= 0 && text[i] == '}';
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
            else if (c == '{' || (c == '\n' && EndsUnclosedList(text, i))) { Flush(i); return (keys, i); }
            else if (!char.IsWhiteSpace(c) && keyStart < 0) keyStart = i;
            i++;
        }
        Flush(i);
        return (keys, i);
    }

    /// <summary>
    /// An unclosed `\cite{` (typed without auto-close) must not swallow what follows: its list ends at a line break
    /// followed by a blank line or by a command.
    /// </summary>
    private static bool EndsUnclosedList(string text, int newline)
    {
        int i = newline + 1;
        while (i < text.Length && text[i] is ' ' or '\t' or '\r') i++;
        return i >= text.Length || text[i] is '\n' or '\\';
    }

    private static int LineEnd(string text, int i)
    {
        int n = text.IndexOf('\n', i);
        return n < 0 ? text.Length : n + 1;
    }
}
