using System.Text.RegularExpressions;

namespace PaperLens.Core;

/// <summary>DOIs and arXiv identifiers in one canonical spelling each, so the same paper is recognised across sources.</summary>
public static partial class PaperIds
{
    /// <summary>"https://doi.org/10.1145/ABC" or "doi:10.1145/abc" → "10.1145/abc"; null when it is not a DOI.</summary>
    public static string? NormalizeDoi(string? doi)
    {
        if (string.IsNullOrWhiteSpace(doi)) return null;
        var m = DoiPattern().Match(doi.Trim());
        return m.Success ? m.Value.TrimEnd('.', ',', ';').ToLowerInvariant() : null;
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
        var normalized = NormalizeDoi(doi);
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

    [GeneratedRegex(@"10\.\d{4,9}/\S+", RegexOptions.IgnoreCase)]
    private static partial Regex DoiPattern();

    // New style 0704.0001 / 2309.12345 (optional vN), or old style hep-ph/0701001 / math.GT/0309136.
    [GeneratedRegex(@"(?<![\w.])(?:arxiv:\s*)?(?<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[a-z]{2})?/\d{7})(?:v\d+)?(?![\w.])", RegexOptions.IgnoreCase)]
    private static partial Regex ArxivPattern();

    [GeneratedRegex(@"arxiv\.org/(?:abs|pdf|html)/(?<rest>[^\s?#]+?)(?:\.pdf)?(?:[?#]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex ArxivUrlPattern();
}
