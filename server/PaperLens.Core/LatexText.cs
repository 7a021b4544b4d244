using System.Buffers;
using System.Text;

namespace PaperLens.Core;

/// <summary>
/// Turns the LaTeX found in bibliography fields into plain Unicode for display and search:
/// accents, special letters, escapes, dashes and quotes are converted; braces, <c>$</c> and
/// formatting commands are dropped (their arguments kept); whitespace is collapsed; the result is NFC.
/// </summary>
public static class LatexText
{
    // Characters that need work; text without any of them (and without odd spacing) is returned as is.
    private static readonly SearchValues<char> Special = SearchValues.Create("\\{}$~-`'&<\r\n\t");

    private const int MaxNesting = 32;

    public static string ToUnicode(string? latex)
    {
        if (string.IsNullOrEmpty(latex)) return "";
        if (latex.AsSpan().IndexOfAny(Special) < 0 && !latex.Contains("  ", StringComparison.Ordinal))
            return Normalize(latex.Trim());

        var sb = new StringBuilder(latex.Length);
        Convert(latex, 0, latex.Length, sb, 0);
        if (sb.Length > 0 && sb[^1] == ' ') sb.Length--;
        return Normalize(sb.ToString());
    }

    private static string Normalize(string s) => Ascii.IsValid(s) ? s : WithoutInvalidChars(s).Normalize(NormalizationForm.FormC);

    /// <summary>
    /// <paramref name="s"/> without the noncharacters U+FFFE and U+FFFF, and with each unpaired surrogate as
    /// U+FFFD: neither is text, and Unicode normalization rejects them.
    /// </summary>
    public static string WithoutInvalidChars(string s)
    {
        int bad = s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        int nonchar = s.AsSpan().IndexOfAny('\uFFFE', '\uFFFF');
        if (bad < 0 && nonchar < 0) return s;
        int first = bad < 0 ? nonchar : nonchar < 0 ? bad : Math.Min(bad, nonchar);
        var sb = new StringBuilder(s.Length).Append(s, 0, first);
        for (int i = first; i < s.Length; i++)
        {
            char c = s[i];
            if (c is '\uFFFE' or '\uFFFF') continue;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(c).Append(s[++i]); continue; }
            sb.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
        }
        return sb.ToString();
    }

    /// <summary>Converts <paramref name="s"/>[start, end) into <paramref name="sb"/>.</summary>
    private static void Convert(string s, int start, int end, StringBuilder sb, int depth)
    {
        int i = start;
        while (i < end)
        {
            char c = s[i];
            switch (c)
            {
                case '\\':
                    i = Command(s, i + 1, end, sb, depth);
                    break;
                case '{' or '}' or '$':
                    i++;
                    break;
                case '~':
                    AppendSpace(sb);
                    i++;
                    break;
                case '\t' or '\r' or '\n':
                    AppendSpace(sb);
                    i++;
                    break;
                case '-':
                    if (i + 2 < end && s[i + 1] == '-' && s[i + 2] == '-') { sb.Append('—'); i += 3; }
                    else if (i + 1 < end && s[i + 1] == '-') { sb.Append('–'); i += 2; }
                    else { sb.Append('-'); i++; }
                    break;
                case '`':
                    if (i + 1 < end && s[i + 1] == '`') { sb.Append('“'); i += 2; }
                    else { sb.Append('‘'); i++; }
                    break;
                case '\'':
                    if (i + 1 < end && s[i + 1] == '\'') { sb.Append('”'); i += 2; }
                    else { sb.Append('\''); i++; }
                    break;
                case '&':
                    i = HtmlEntity(s, i, end, sb);
                    break;
                case '<':
                    i = HtmlTag(s, i, end, sb);
                    break;
                default:
                    i = AppendPlainRun(s, i, end, sb);
                    break;
            }
        }
    }

    /// <summary>Copies text up to the next char that needs work, in one go; runs of spaces are collapsed.</summary>
    private static int AppendPlainRun(string s, int i, int end, StringBuilder sb)
    {
        var rest = s.AsSpan(i, end - i);
        int n = rest.IndexOfAny(Special);
        var run = n < 0 ? rest : rest[..n];
        int length = run.Length;
        if (sb.Length == 0 || sb[^1] == ' ') run = run.TrimStart(' ');
        if (run.Contains("  ", StringComparison.Ordinal))
        {
            foreach (char c in run)
                if (c == ' ') AppendSpace(sb); else sb.Append(c);
        }
        else
        {
            sb.Append(run);
        }
        return i + length;
    }

    /// <summary>Handles the command whose name starts at <paramref name="i"/> (just after the backslash); returns the index after it.</summary>
    private static int Command(string s, int i, int end, StringBuilder sb, int depth)
    {
        if (i >= end) return i;
        char c = s[i];
        if (!char.IsAsciiLetter(c))
        {
            if (LatexSymbols.AccentMark(c) is char symbolAccent) return Accent(s, i + 1, end, sb, depth, symbolAccent, c);
            switch (c)
            {
                case '\\' or ',' or ';' or ':' or ' ' or '\n' or '\r' or '\t': AppendSpace(sb); break;
                case '-' or '/' or '!' or '@': break;
                default: sb.Append(c); break; // \& \% \$ \# \_ \{ \} and the like
            }
            return i + 1;
        }

        int nameStart = i;
        while (i < end && char.IsAsciiLetter(s[i])) i++;
        var name = s.AsSpan(nameStart, i - nameStart);

        if (name.Length == 1 && LatexSymbols.AccentMark(name[0]) is char letterAccent && IsLetterAccent(name[0]))
            return Accent(s, SkipSpaces(s, i, end), end, sb, depth, letterAccent, null);

        if (LatexSymbols.Letter(name) is string letter)
        {
            sb.Append(letter);
            i = SkipSpaces(s, i, end);
            // "\ss{}" and "\o{}": the empty group only ends the command.
            if (i + 1 < end && s[i] == '{' && s[i + 1] == '}') i += 2;
            return i;
        }
        if (LatexSymbols.Symbol(name) is string symbol)
        {
            sb.Append(symbol);
            return i;
        }
        // Formatting and unknown commands are dropped; a braced argument that follows is kept as text.
        return SkipSpaces(s, i, end);
    }

    private static bool IsLetterAccent(char c) => c is 'c' or 'v' or 'u' or 'H' or 'r' or 'k' or 'd' or 'b' or 't';

    /// <summary>Applies a combining <paramref name="mark"/> to the argument starting at <paramref name="i"/>.</summary>
    private static int Accent(string s, int i, int end, StringBuilder sb, int depth, char mark, char? spacing)
    {
        int before = sb.Length;
        if (i < end && s[i] == '{')
        {
            int close = MatchingBrace(s, i, end);
            if (depth < MaxNesting) Convert(s, i + 1, close, sb, depth + 1);
            i = Math.Min(close + 1, end);
        }
        else if (i < end && s[i] == '\\')
        {
            // "\'\'\'…": each accent's argument is the next command; bounded like braces.
            i = depth < MaxNesting ? Command(s, i + 1, end, sb, depth + 1) : i + 1;
        }
        else if (i < end && !char.IsWhiteSpace(s[i]) && s[i] != '}')
        {
            sb.Append(s[i]);
            i++;
        }

        if (sb.Length == before)
        {
            if (spacing is '~' or '^') sb.Append(spacing.Value); // "\~{}" is a literal tilde
            return i;
        }
        // A dotless i or j under an accent is the ordinary letter (NFC then composes í).
        if (sb[before] == 'ı') sb[before] = 'i';
        else if (sb[before] == 'ȷ') sb[before] = 'j';
        // The mark follows the argument's first char. Moving only the argument's tail keeps this linear:
        // StringBuilder.Insert into one large chunk copies everything before the insertion point.
        if (sb.Length == before + 1)
        {
            sb.Append(mark);
        }
        else
        {
            string tail = sb.ToString(before + 1, sb.Length - before - 1);
            sb.Length = before + 1;
            sb.Append(mark).Append(tail);
        }
        return i;
    }

    private static int MatchingBrace(string s, int open, int end)
    {
        int level = 0;
        for (int i = open; i < end; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == '{') level++;
            else if (s[i] == '}' && --level == 0) return i;
        }
        return end;
    }

    private static int SkipSpaces(string s, int i, int end)
    {
        while (i < end && s[i] is ' ' or '\t' or '\r' or '\n') i++;
        return i;
    }

    private static void AppendSpace(StringBuilder sb)
    {
        if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
    }

    /// <summary>Decodes the few HTML entities that exported records carry (&amp;amp; and friends); other '&amp;' stay.</summary>
    private static int HtmlEntity(string s, int i, int end, StringBuilder sb)
    {
        int semi = s.IndexOf(';', i + 1, Math.Min(10, end - i - 1));
        if (semi > 0)
        {
            var entity = s.AsSpan(i + 1, semi - i - 1);
            char? decoded = entity switch
            {
                "amp" => '&', "lt" => '<', "gt" => '>', "quot" => '"', "apos" => '\'', "nbsp" => ' ',
                _ => NumericEntity(entity),
            };
            if (decoded is char d)
            {
                if (d == ' ') AppendSpace(sb); else sb.Append(d);
                return semi + 1;
            }
        }
        sb.Append('&');
        return i + 1;
    }

    /// <summary>Drops the inline HTML tags that exported abstracts carry (&lt;i&gt;, &lt;sup&gt;…); any other '&lt;' stays.</summary>
    private static int HtmlTag(string s, int i, int end, StringBuilder sb)
    {
        int nameStart = i + 1 < end && s[i + 1] == '/' ? i + 2 : i + 1;
        int nameEnd = nameStart;
        while (nameEnd < end && (char.IsAsciiLetterOrDigit(s[nameEnd]) || s[nameEnd] is '-' or ':')) nameEnd++;
        int close = nameEnd < end ? s.IndexOf('>', nameEnd, Math.Min(200, end - nameEnd)) : -1;
        if (close < 0 || s.AsSpan(nameEnd, close - nameEnd).Contains('<')) { sb.Append('<'); return i + 1; }
        switch (s.AsSpan(nameStart, nameEnd - nameStart).ToString().ToLowerInvariant())
        {
            case "i" or "em" or "b" or "strong" or "u" or "sup" or "sub" or "scp" or "underline" or "italic" or "bold"
                or "span" or "inline-formula" or "tex-math" or "mml:math" or "sc" or "tt" or "code":
                return close + 1;
            case "p" or "br" or "div" or "li" or "ul" or "ol":
                AppendSpace(sb);
                return close + 1;
            default:
                sb.Append('<');
                return i + 1;
        }
    }

    private static char? NumericEntity(ReadOnlySpan<char> entity)
    {
        if (entity.Length < 2 || entity[0] != '#') return null;
        bool hex = entity[1] is 'x' or 'X';
        var digits = entity[(hex ? 2 : 1)..];
        var style = hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None;
        return int.TryParse(digits, style, null, out int code) && code is > 0 and < 0xD800 ? (char)code : null;
    }
}
