using PaperLens.Core;
using PaperLens.Features.Bib;
using PaperLens.Sources.Drafts;

namespace PaperLens.Features.CodeActions;

/// <summary>A text edit in a file; a missing file is created first.</summary>
public sealed record FileEdit(string Path, LineRange Range, string NewText);

/// <summary>Edits that cite a paper: the citation in the draft's own syntax and, when needed, its entry in the bibliography.</summary>
public static class CitationEdits
{
    /// <summary>
    /// Cites <paramref name="key"/> for a cursor at <paramref name="position"/>, where <see cref="CitationPlacement"/> puts it, and
    /// adds the entry to the bibliography when needed. The "Cite:" code action, Search Papers and the sidebar all use this.
    /// </summary>
    public static IReadOnlyList<FileEdit> CiteAt(WorkspaceSnapshot snapshot, DraftDocument draft, LinePosition position, string key)
    {
        var (bibEdits, finalKey) = EnsureInBibliography(snapshot, draft, key);
        var insertion = CitationPlacement.Insertion(draft, draft.Lines.OffsetOf(position), finalKey);
        return insertion is null ? bibEdits : [.. bibEdits, insertion];
    }

    /// <summary>The bib edit that adds the paper when the draft's bibliography lacks it, and the key to cite.</summary>
    public static (IReadOnlyList<FileEdit> Edits, string Key) EnsureInBibliography(WorkspaceSnapshot snapshot, DraftDocument draft, string key)
    {
        var bibs = snapshot.BibsFor(draft);
        if (WorkspaceSnapshot.FindEntry(bibs, key) is not null) return ([], key);
        var paper = snapshot.Catalog.ByKey(key)?.Paper;
        if (paper is null) return ([], key);
        if (WorkspaceSnapshot.KeyInBibs(bibs, paper) is { } existing) return ([], existing);
        return AppendEntry(snapshot, draft, paper);
    }

    public static (IReadOnlyList<FileEdit> Edits, string Key) AppendEntry(WorkspaceSnapshot snapshot, DraftDocument draft, Paper paper)
    {
        string target = snapshot.TargetBibFor(draft);
        var targetDoc = snapshot.Bibs.GetValueOrDefault(target) ?? BibDocument.Parse(target, File.Exists(target) ? File.ReadAllText(target) : "");
        var taken = snapshot.BibsFor(draft).Append(targetDoc).SelectMany(b => b.Entries).Select(e => e.Key).ToHashSet(BibDocument.KeyComparer);
        var append = BibEntryWriter.AppendEdit(targetDoc, paper, taken);
        return ([new FileEdit(target, append.Edit.Range, append.Edit.NewText)], append.Key);
    }
}
