using PaperLens.Features.Bib;
using PaperLens.Index;

namespace PaperLens.Features.Navigation;

/// <summary>A workspace symbol: a paper, and where its entry is.</summary>
public sealed record PaperSymbol(string Name, string Detail, FileRange Location);

/// <summary>Definition, references and rename of citation keys across drafts and bibliographies; symbols.</summary>
public static class CitationNavigation
{
    /// <summary>The key at a position of a draft or of a .bib file.</summary>
    public static (string Key, LineRange Range)? KeyAt(WorkspaceSnapshot snapshot, string path, LinePosition position)
    {
        if (snapshot.Drafts.TryGetValue(path, out var draft) && draft.KeyAt(position) is { } at)
            return (at.Key.Key, draft.Lines.RangeOf(at.Key.Span.Start, at.Key.Span.Length));
        if (snapshot.Bibs.TryGetValue(path, out var bib) && bib.KeyAt(position) is { } entry)
            return (entry.Key, entry.KeyRange);
        return null;
    }

    public static IReadOnlyList<FileRange> Definition(WorkspaceSnapshot snapshot, string path, LinePosition position)
    {
        if (KeyAt(snapshot, path, position) is not { } at) return [];
        var bibs = snapshot.Drafts.TryGetValue(path, out var draft) ? snapshot.BibsFor(draft) : snapshot.Bibs.Values.ToList();
        if (WorkspaceSnapshot.FindEntry(bibs, at.Key) is { } found) return [new FileRange(found.Bib.Path, found.Entry.KeyRange)];
        if (snapshot.Catalog.ByKey(at.Key) is { } stored && stored.Paper.Source.File.Length > 0)
            return [new FileRange(stored.Paper.Source.File, LineRange.At(new LinePosition(Math.Max(0, stored.Paper.Source.Line - 1), 0)))];
        return [];
    }

    public static IReadOnlyList<FileRange> References(WorkspaceSnapshot snapshot, string path, LinePosition position, bool includeDeclaration)
    {
        if (KeyAt(snapshot, path, position) is not { } at) return [];
        var result = new List<FileRange>();
        foreach (var draft in snapshot.Drafts.Values.OrderBy(d => d.Path, StringComparer.Ordinal))
            foreach (var key in draft.Info.AllKeys.Where(k => BibDocument.KeyComparer.Equals(k.Key, at.Key)))
                result.Add(new FileRange(draft.Path, draft.Lines.RangeOf(key.Span.Start, key.Span.Length)));
        if (includeDeclaration)
            foreach (var bib in snapshot.Bibs.Values)
                if (bib.Find(at.Key) is { } entry) result.Add(new FileRange(bib.Path, entry.KeyRange));
        return result;
    }

    public static (string Key, LineRange Range)? PrepareRename(WorkspaceSnapshot snapshot, string path, LinePosition position) =>
        KeyAt(snapshot, path, position);

    /// <summary>Edits renaming the key in every draft citation and in the .bib entries that define it.</summary>
    public static IReadOnlyList<CodeActions.FileEdit> Rename(WorkspaceSnapshot snapshot, string path, LinePosition position, string newKey)
    {
        if (KeyAt(snapshot, path, position) is not { } at) return [];
        var edits = References(snapshot, path, position, includeDeclaration: false)
            .Select(r => new CodeActions.FileEdit(r.Path, r.Range, newKey)).ToList();
        foreach (var bib in snapshot.Bibs.Values)
            edits.AddRange(BibRename.Edits(bib, at.Key, newKey).Select(e => new CodeActions.FileEdit(bib.Path, e.Range, e.NewText)));
        return edits;
    }

    public static IReadOnlyList<BibSymbol> DocumentSymbols(WorkspaceSnapshot snapshot, string path) =>
        snapshot.Bibs.TryGetValue(path, out var bib) ? BibSymbols.For(bib) : [];

    /// <summary>Papers matching a query: workspace bib entries by key and title first, then the catalog.</summary>
    public static IReadOnlyList<PaperSymbol> WorkspaceSymbols(WorkspaceSnapshot snapshot, string query, int limit = 100)
    {
        var result = new List<PaperSymbol>();
        foreach (var bib in snapshot.Bibs.Values)
            foreach (var entry in bib.Entries)
                if (query.Length == 0 || entry.Key.Contains(query, StringComparison.OrdinalIgnoreCase) || entry.Paper.Title.Contains(query, StringComparison.OrdinalIgnoreCase))
                    result.Add(new PaperSymbol(entry.Key, entry.Paper.Title, new FileRange(bib.Path, entry.KeyRange)));
        if (query.Length > 0)
            foreach (var hit in snapshot.Catalog.Rank(query, limit))
            {
                var p = hit.Paper.Paper;
                if (p.Source.File.Length > 0 && result.All(r => r.Name != p.Key))
                    result.Add(new PaperSymbol(p.Key, p.Title, new FileRange(p.Source.File, LineRange.At(new LinePosition(Math.Max(0, p.Source.Line - 1), 0)))));
            }
        return result.Take(limit).ToList();
    }
}
