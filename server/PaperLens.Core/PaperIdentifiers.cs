using System.Text.RegularExpressions;

namespace PaperLens.Core;

/// <summary>Normalises DOIs and finds arXiv identifiers in the ways sources write them.</summary>
public static partial class PaperIdentifiers
{
    private static readonly string[] DoiPrefixes =
        ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/", "doi:"];

    /// <summary>A bare DOI ("10.1145/123.456") with URL and "doi:" prefixes, LaTeX escapes and braces removed; case kept. Null when not a DOI.</summary>
    public static string? NormalizeDoi(string? doi)
    {
        if (string.IsNullOrWhiteSpace(doi)) return null;
        string s = Unescape(doi);
        foreach (var prefix in DoiPrefixes)
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) { s = s[prefix.Length..].Trim(); break; }
        return s.StartsWith("10.", StringComparison.Ordinal) && s.Contains('/') ? s : null;
    }

    /// <summary>A URL with LaTeX escapes (<c>\_</c>, <c>\%</c>) and braces removed; null when blank.</summary>
    public static string? NormalizeUrl(string? url) => string.IsNullOrWhiteSpace(url) ? null : Unescape(url);

    /// <summary>
    /// The arXiv id in text such as "arXiv:1810.04805v2", "https://arxiv.org/abs/1810.04805" or "cs/0112017" (old style, after "arXiv:" or in a URL).
    /// The version suffix is dropped. Null when there is none.
    /// </summary>
    public static string? FindArxivId(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string s = Unescape(text);
        foreach (var marker in (ReadOnlySpan<string>)["arxiv.org/abs/", "arxiv.org/pdf/", "arXiv:", "arXiv "])
        {
            int at = s.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && ParseArxivId(s.AsSpan(at + marker.Length).TrimStart()) is { } id) return id;
        }
        return null;
    }

    /// <summary>An arXiv id at the start of <paramref name="s"/> ("1810.04805", "hep-th/9901001"), or null.</summary>
    public static string? ParseArxivId(ReadOnlySpan<char> s)
    {
        s = s.Trim();
        // New style: YYMM.NNNN or YYMM.NNNNN
        int digits = CountDigits(s);
        if (digits == 4 && s.Length > 5 && s[4] == '.')
        {
            int tail = CountDigits(s[5..]);
            if (tail is 4 or 5) return s[..(5 + tail)].ToString();
            return null;
        }
        // Old style: archive(.subject)/YYMMNNN
        int slash = s.IndexOf('/');
        if (slash > 1 && slash < 20 && CountDigits(s[(slash + 1)..]) == 7)
        {
            foreach (char c in s[..slash])
                if (!(char.IsAsciiLetter(c) || c is '-' or '.')) return null;
            return s[..(slash + 8)].ToString();
        }
        return null;
    }

    private static int CountDigits(ReadOnlySpan<char> s)
    {
        int n = 0;
        while (n < s.Length && char.IsAsciiDigit(s[n])) n++;
        return n;
    }

    /// <summary>Removes braces and the backslash of LaTeX escapes (<c>\_</c>, <c>\&amp;</c>…), keeping the text exact otherwise.</summary>
    private static string Unescape(string s)
    {
        if (s.AsSpan().IndexOfAny('\\', '{', '}') < 0) return s.Trim();
        var sb = new System.Text.StringBuilder(s.Length);
        foreach (char c in s)
            if (c is not ('\\' or '{' or '}')) sb.Append(c);
        return sb.ToString().Trim();
    }

    /// <summary>
    /// A DOI for comparison, lowercased ("https://doi.org/10.1145/ABC" → "10.1145/abc"); null unless the whole value is one
    /// well-formed DOI. A value with stray spaces ("10.1162/tacl _a _00321") or other text around it is not an identifier:
    /// comparing its "10.1162/tacl" prefix would make different papers one.
    /// </summary>
    public static string? DoiKey(string? doi)
    {
        var bare = NormalizeDoi(doi)?.TrimEnd('.', ',', ';');
        return bare != null && WellFormedDoi().IsMatch(bare) ? bare.ToLowerInvariant() : null;
    }

    /// <summary>"arXiv:2309.12345v2", "https://arxiv.org/abs/hep-ph/0701001" → "2309.12345", "hep-ph/0701001"; null when none is found.</summary>
    public static string? NormalizeArxivId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        var m = ArxivPattern().Match(id.Trim());
        return m.Success ? m.Groups["id"].Value.ToLowerInvariant() : null;
    }

    /// <summary>The arXiv id inside an arXiv DOI (10.48550/arXiv.2309.12345), else null.</summary>
    public static string? ArxivIdFromDoi(string? doi)
    {
        var normalized = DoiKey(doi);
        const string prefix = "10.48550/arxiv.";
        return normalized != null && normalized.StartsWith(prefix, StringComparison.Ordinal)
            ? NormalizeArxivId(normalized[prefix.Length..])
            : null;
    }

    /// <summary>The arXiv id in an arxiv.org URL (abs, pdf or html), else null.</summary>
    public static string? ArxivIdFromUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        var m = ArxivUrlPattern().Match(url);
        return m.Success ? NormalizeArxivId(m.Groups["rest"].Value) : null;
    }

    // Prefix "10." + registrant digits, then a suffix without whitespace or control characters.
    [GeneratedRegex(@"^10\.[0-9]{4,9}/[^\s\p{C}]+$")]
    private static partial Regex WellFormedDoi();

    // New style 0704.0001 / 2309.12345 (optional vN), or old style hep-ph/0701001 / math.GT/0309136.
    [GeneratedRegex(@"(?<![\w.])(?:arxiv:\s*)?(?<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[a-z]{2})?/\d{7})(?:v\d+)?(?![\w.])", RegexOptions.IgnoreCase)]
    private static partial Regex ArxivPattern();

    [GeneratedRegex(@"arxiv\.org/(?:abs|pdf|html)/(?<rest>[^\s?#]+?)(?:\.pdf)?(?:[?#]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex ArxivUrlPattern();
}
