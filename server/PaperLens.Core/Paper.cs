namespace PaperLens.Core;

/// <summary>Where a paper or a problem was found: a file and a 1-based line.</summary>
public readonly record struct SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>A paper as read from one source, or merged from several.</summary>
public sealed record Paper
{
    /// <summary>Citation key: the source's own key, or one made by <see cref="CitationKeys"/>.</summary>
    public string Key { get; init; } = "";
    /// <summary>True when <see cref="Key"/> came from the source itself (BibTeX key, CSL id).</summary>
    public bool HasSourceKey { get; init; }
    public string Title { get; init; } = "";
    public IReadOnlyList<PersonName> Authors { get; init; } = [];
    public int? Year { get; init; }
    public string? Venue { get; init; }
    public string? Abstract { get; init; }
    public string? Doi { get; init; }
    public string? ArxivId { get; init; }
    /// <summary>
    /// True when <see cref="ArxivId"/> was found in free text (a journal field such as "arXiv preprint arXiv:1605.03835"),
    /// not in an identifier field: kept for display, never taken as proof that two records are one paper.
    /// </summary>
    public bool ArxivIdFromText { get; init; }
    public string? Url { get; init; }
    /// <summary>BibTeX entry type (article, inproceedings, misc…), lowercase.</summary>
    public string EntryType { get; init; } = "misc";
    public SourceLocation Source { get; init; }
}

/// <summary>A problem in an input file, reported and skipped; the rest still loads.</summary>
public sealed record SourceProblem(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>An author's name split as BibTeX does: family name ("von Last, Jr" parts included) and given names.</summary>
public sealed record PersonName(string Family, string Given = "")
{
    public override string ToString() => Given.Length == 0 ? Family : $"{Given} {Family}";
}
