using System.Runtime.CompilerServices;
using PaperLens.Core;
using PaperLens.Features.Bib;

namespace PaperLens.Features;

/// <summary>A .bib file's keys by DOI, arXiv id and normalised title, built once per parsed file.</summary>
internal sealed class BibIdentity
{
    private static readonly ConditionalWeakTable<BibDocument, BibIdentity> Cache = new();
    private readonly BibDocument _bib;
    private readonly Dictionary<string, string> _byDoi = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byArxiv = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byTitle = new(StringComparer.Ordinal);

    private BibIdentity(BibDocument bib)
    {
        _bib = bib;
        foreach (var entry in bib.Entries)
        {
            if (PaperIdentifiers.DoiKey(entry.Paper.Doi) is { } doi) _byDoi.TryAdd(doi, entry.Key);
            if (entry.Paper.ArxivId is { } arxiv) _byArxiv.TryAdd(arxiv, entry.Key);
            var title = TitleNormalizer.Normalize(entry.Paper.Title);
            if (TitleNormalizer.IsDistinctive(title)) _byTitle.TryAdd(title, entry.Key);
        }
    }

    public static BibIdentity Of(BibDocument bib) => Cache.GetValue(bib, b => new BibIdentity(b));

    public string? KeyFor(Paper paper)
    {
        if (_bib.Find(paper.Key) is { } same) return same.Key;
        if (PaperIdentifiers.DoiKey(paper.Doi) is { } doi && _byDoi.TryGetValue(doi, out var k1)) return k1;
        if (paper.ArxivId is { } arxiv && _byArxiv.TryGetValue(arxiv, out var k2)) return k2;
        return _byTitle.GetValueOrDefault(TitleNormalizer.Normalize(paper.Title));
    }
}
