using System.Text;
using System.Text.RegularExpressions;

namespace PaperLens.Core;

public enum DraftKind { Markdown, Latex }

/// <summary>A paragraph of a draft: its lines (1-based, inclusive) and its text with markup stripped.</summary>
public sealed record DraftParagraph(int StartLine, int EndLine, string Text);

/// <summary>Finds the paragraph around a line of a draft and reduces it to the words a reader sees.</summary>
public static partial class DraftText
{
    public static DraftKind KindOf(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".tex" or ".ltx" or ".sty" ? DraftKind.Latex : DraftKind.Markdown;

    /// <summary>The blank-line-delimited paragraph holding <paramref name="line"/> (1-based; clamped to the document).</summary>
    public static DraftParagraph ParagraphAt(string document, int line, DraftKind kind)
    {
        var lines = document.Replace("\r\n", "\n").Split('\n');
        int at = Math.Clamp(line, 1, lines.Length) - 1;
        bool IsBreak(string l) => string.IsNullOrWhiteSpace(kind == DraftKind.Latex ? StripLatexComment(l) : l);
        while (at > 0 && IsBreak(lines[at])) at--; // on a blank line: take the paragraph above
        int start = at, end = at;
        while (start > 0 && !IsBreak(lines[start - 1])) start--;
        while (end < lines.Length - 1 && !IsBreak(lines[end + 1])) end++;
        var raw = string.Join("\n", lines[start..(end + 1)]);
        return new DraftParagraph(start + 1, end + 1, ToPlainText(raw, kind));
    }

    /// <summary>Text without citations, commands, comments and markup.</summary>
    public static string ToPlainText(string text, DraftKind kind)
    {
        string plain = kind == DraftKind.Latex ? LatexToPlain(text) : MarkdownToPlain(text);
        plain = Whitespace().Replace(plain, " ");
        return SpaceBeforePunctuation().Replace(plain, "$1").Trim(); // "models \cite{a}, and" reads "models, and"
    }

    private static string LatexToPlain(string text)
    {
        var sb = new StringBuilder();
        foreach (var line in text.Split('\n')) sb.Append(StripLatexComment(line)).Append('\n');
        string s = LatexCitation().Replace(sb.ToString(), " ");
        s = LatexReference().Replace(s, " ");
        s = LatexPreambleOrHeading().Replace(s, " ");
        s = LatexEnvironment().Replace(s, " ");
        return LatexText.ToUnicode(s);
    }

    private static string MarkdownToPlain(string text)
    {
        string s = MarkdownCitation().Replace(text, " ");
        s = MarkdownInlineCitation().Replace(s, " ");
        s = MarkdownLink().Replace(s, "$1");
        s = MarkdownHeading().Replace(s, "");
        s = MarkdownEmphasis().Replace(s, "");
        return s;
    }

    /// <summary>A LaTeX line without its comment (an unescaped %).</summary>
    public static string StripLatexComment(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\') { i++; continue; }
            if (line[i] == '%') return line[..i];
        }
        return line;
    }

    // A citation with its keys; also one still being typed ("\cite{smi"), so the context stays the same while a key is typed.
    [GeneratedRegex(@"\\[A-Za-z]*cite[A-Za-z]*\*?(\s*\[[^\]]*\]){0,2}\s*\{(?:[^{}]*\}|[^{}\s]*)")] private static partial Regex LatexCitation();
    [GeneratedRegex(@"\\(label|ref|eqref|cref|Cref|autoref|pageref|url|href|includegraphics|input|include|bibliography|addbibresource)\*?(\[[^\]]*\])?\{[^}]*\}")] private static partial Regex LatexReference();
    [GeneratedRegex(@"\\(begin|end)\{[^}]*\}")] private static partial Regex LatexEnvironment();
    // Preamble commands and headings with their arguments: not words of the paragraph.
    [GeneratedRegex(@"\\(documentclass|usepackage|RequirePackage|part|chapter|section|subsection|subsubsection|paragraph|subparagraph|title|author|date|maketitle|tableofcontents)\*?(\s*\[[^\]]*\])*(\s*\{(?:[^{}]|\{[^{}]*\})*\})?")] private static partial Regex LatexPreambleOrHeading();
    [GeneratedRegex(@" ([,.;:!?)])")] private static partial Regex SpaceBeforePunctuation();
    [GeneratedRegex(@"\[[^\[\]]*@[^\[\]]*\]")] private static partial Regex MarkdownCitation();
    [GeneratedRegex(@"(?<![\w.])-?@\{?([A-Za-z0-9_][\w:.#$%&+?<>~/-]*)?\}?")] private static partial Regex MarkdownInlineCitation();
    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")] private static partial Regex MarkdownLink();
    [GeneratedRegex(@"(?m)^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+")] private static partial Regex MarkdownHeading();
    [GeneratedRegex(@"[*_`~]+")] private static partial Regex MarkdownEmphasis();
    [GeneratedRegex(@"\s+")] private static partial Regex Whitespace();
}
