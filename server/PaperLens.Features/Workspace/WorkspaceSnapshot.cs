using System.Collections.Immutable;
using PaperLens.Core;
using PaperLens.Features.Bib;

namespace PaperLens.Features;

/// <summary>Settings a client can change at run time.</summary>
public sealed record WorkspaceSettings
{
    public IReadOnlyList<string> CorpusPaths { get; init; } = [];
    public string? IndexPath { get; init; }
    public string? ModelPath { get; init; }
    /// <summary>Load the model's fp32 file (model.json "fp32Model") instead of its int8 default (`paperlens.model.precision`: fp32).</summary>
    public bool ModelFullPrecision { get; init; }
    public int CompletionMaxItems { get; init; } = 50;
    public int RelatedLimit { get; init; } = 20;
    /// <summary>`paperlens.latex.citeCommands`: the user's own citation macros, names without the backslash.</summary>
    public IReadOnlySet<string> LatexCiteCommands { get; init; } = new HashSet<string>();
    /// <summary>The ranking's weights; null: the shipped ones (Ranking/ranking-weights.json).</summary>
    public Ranking.RankingWeights? Ranking { get; init; }
}

/// <summary>Where indexing stands.</summary>
public sealed record IndexStatus(long Papers, long Embedded, long Pending, string State, string? Message = null, int? Percent = null)
{
    public static readonly IndexStatus Starting = new(0, 0, 0, "indexing", "starting");
    /// <summary>Configured corpus paths that give no files, each with the reason (missing, no match).</summary>
    public IReadOnlyList<string> CorpusProblems { get; init; } = [];
    public bool IsIndexing => State is "indexing" or "embedding";
}

/// <summary>
/// An immutable view of the workspace: drafts, bibliographies, settings and the paper catalog.
/// The workspace's single writer produces a new snapshot for every change; features only read snapshots.
/// </summary>
public sealed record WorkspaceSnapshot
{
    public ImmutableDictionary<string, DraftDocument> Drafts { get; init; } = ImmutableDictionary.Create<string, DraftDocument>(PathComparer);
    public ImmutableDictionary<string, BibDocument> Bibs { get; init; } = ImmutableDictionary.Create<string, BibDocument>(PathComparer);
    /// <summary>Paths of documents open in the editor (their text comes from the editor, not the disk).</summary>
    public ImmutableHashSet<string> Open { get; init; } = ImmutableHashSet.Create<string>(PathComparer);
    public ImmutableArray<string> Folders { get; init; } = [];
    /// <summary>Paper sources other than .bib found in the workspace folders (CSL-JSON, arXiv JSONL, listings).</summary>
    public ImmutableHashSet<string> WorkspaceSources { get; init; } = ImmutableHashSet.Create<string>(PathComparer);
    public WorkspaceSettings Settings { get; init; } = new();
    public required PaperCatalog Catalog { get; init; }
    public IndexStatus Status { get; init; } = IndexStatus.Starting;
    public int Version { get; init; }

    /// <summary>Paths compare as the platform's file system does (case-insensitive on Windows and macOS).</summary>
    public static StringComparer PathComparer => PathRules.Current.Comparer;

    /// <summary>The bibliographies a draft uses: those it declares, else every .bib of the workspace.</summary>
    public IReadOnlyList<BibDocument> BibsFor(DraftDocument draft)
    {
        var declared = draft.BibliographyPaths.ToList();
        if (declared.Count == 0) return Bibs.Values.OrderBy(b => b.Path, StringComparer.Ordinal).ToList();
        return declared.Select(p => Bibs.GetValueOrDefault(p)).OfType<BibDocument>().ToList();
    }

    /// <summary>The .bib file new entries for this draft go to: the first it declares, else the workspace's first, else references.bib beside it.</summary>
    public string TargetBibFor(DraftDocument draft) =>
        draft.BibliographyPaths.FirstOrDefault(p => p.EndsWith(".bib", StringComparison.OrdinalIgnoreCase))
        ?? Bibs.Keys.Order(StringComparer.Ordinal).FirstOrDefault()
        ?? Path.Combine(Path.GetDirectoryName(draft.Path)!, "references.bib");

    public static (BibDocument Bib, BibDocumentEntry Entry)? FindEntry(IEnumerable<BibDocument> bibs, string key)
    {
        foreach (var bib in bibs)
            if (bib.Find(key) is { } entry) return (bib, entry);
        return null;
    }

    /// <summary>The bib key under which a draft's bibliography already holds this paper (same key, DOI, arXiv id or title).</summary>
    public static string? KeyInBibs(IEnumerable<BibDocument> bibs, Paper paper)
    {
        foreach (var bib in bibs)
            if (BibIdentity.Of(bib).KeyFor(paper) is { } key) return key;
        return null;
    }

}
