using System.Text;

namespace PaperLens.Features.Bib;

/// <summary>
/// Writes plain Unicode text as the LaTeX inside a braced BibTeX value, so that it prints as written and reads back
/// (through <see cref="PaperLens.Core.LatexText"/>) as the same text. Non-ASCII stays as UTF-8.
/// </summary>
public static class BibLatex
{
    public static string Escape(string text)
    {
        var matched = MatchedBraces(text);
        var sb = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            char next = i + 1 < text.Length ? text[i + 1] : '\0';
            switch (c)
            {
                case '&' or '%' or '$' or '#' or '_':
                    sb.Append('\\').Append(c);
                    break;
                case '{' or '}':
                    // BibTeX counts "\{" as a brace too, so only a matched pair may be written that way.
                    sb.Append(matched.Contains(i) ? (c == '{' ? "\\{" : "\\}") : (c == '{' ? "\\textbraceleft{}" : "\\textbraceright{}"));
                    break;
                case '~' or '^':
                    sb.Append('\\').Append(c).Append("{}");
                    break;
                case '\\':
                    sb.Append("\\textbackslash{}");
                    break;
                case '-' or '\'' when next == c:
                    sb.Append(c).Append("{}"); // "--" and "''" would become a dash and a curly quote
                    break;
                case '\r' or '\n' or '\t':
                    // One line per value: a line break could start something that looks like a new entry.
                    if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>A value written verbatim (DOI, URL, eprint): line breaks and braces, which it cannot hold, are dropped.</summary>
    public static string Verbatim(string text) =>
        string.Concat(text.Where(c => c is not ('{' or '}' or '\r' or '\n'))).Trim();

    /// <summary>The indices of the braces that pair up.</summary>
    private static HashSet<int> MatchedBraces(string text)
    {
        var matched = new HashSet<int>();
        if (text.AsSpan().IndexOfAny('{', '}') < 0) return matched;
        var open = new Stack<int>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '{') open.Push(i);
            else if (text[i] == '}' && open.Count > 0) { matched.Add(open.Pop()); matched.Add(i); }
        }
        return matched;
    }
}
