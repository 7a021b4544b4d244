using PaperLens.Core;

namespace PaperLens.Features.Ranking;

/// <summary>
/// When a corpus record is the same paper as a bibliography entry, so that the entry may be ranked with the record's
/// abstract: same DOI or arXiv id with agreeing titles, or the same normalised title and year.
/// </summary>
public static class PaperIdentity
{
    public static bool SamePaper(Paper entry, Paper record)
    {
        string a = TitleNormalizer.Normalize(entry.Title), b = TitleNormalizer.Normalize(record.Title);
        if (a.Length == 0 || b.Length == 0) return false;
        bool sameId = (PaperIdentifiers.DoiKey(entry.Doi) is { } d && d == PaperIdentifiers.DoiKey(record.Doi))
            || (entry.ArxivId is { } x && x == record.ArxivId);
        if (sameId) return TitlesAgree(a, b);
        return a == b && entry.Year is { } y && y == record.Year && TitleNormalizer.IsDistinctive(a);
    }

    /// <summary>Equal, or one holds the other (a subtitle dropped), or they share most words.</summary>
    private static bool TitlesAgree(string a, string b)
    {
        if (a == b || a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal)) return true;
        var wa = a.Split(' ').ToHashSet();
        var wb = b.Split(' ').ToHashSet();
        return wa.Intersect(wb).Count() >= 0.8 * Math.Min(wa.Count, wb.Count);
    }
}
