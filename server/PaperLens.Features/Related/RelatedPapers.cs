using PaperLens.Core;
using PaperLens.Index;

namespace PaperLens.Features.Related;

/// <summary>A paper related to some text, with what the sidebar needs to show and act on it.</summary>
public sealed record RelatedPaperItem(Paper Paper, string Key, double Score, string Snippet, bool Cited, bool InBibliography, FileRange? Definition);

public sealed record RelatedPapersResult(string Context, IReadOnlyList<RelatedPaperItem> Papers);

/// <summary>Papers for the paragraph at a position (or a selection), and free-text search, both against the whole catalog.</summary>
public static class RelatedPapers
{
    public static RelatedPapersResult ForPosition(WorkspaceSnapshot snapshot, DraftDocument draft, LinePosition position, int limit, CancellationToken ct = default) =>
        ForText(snapshot, draft, draft.ParagraphAt(position).Text, limit, ct);

    public static RelatedPapersResult ForRange(WorkspaceSnapshot snapshot, DraftDocument draft, LineRange range, int limit, CancellationToken ct = default)
    {
        int start = draft.Lines.OffsetOf(range.Start), end = draft.Lines.OffsetOf(range.End);
        if (end <= start) return ForPosition(snapshot, draft, range.Start, limit, ct);
        return ForText(snapshot, draft, DraftText.ToPlainText(draft.Text[start..end], draft.Kind), limit, ct);
    }

    /// <summary>Ranks papers for a text; with a draft, marks what it cites and what its bibliography holds.</summary>
    public static RelatedPapersResult ForText(WorkspaceSnapshot snapshot, DraftDocument? draft, string text, int limit, CancellationToken ct = default)
    {
        var bibs = draft is null ? [] : snapshot.BibsFor(draft);
        var cited = draft?.CitedKeys ?? new HashSet<string>();
        var hits = snapshot.Catalog.Rank(text, Math.Max(limit, 1), ct);
        var items = hits.Take(limit).Select(hit => Item(snapshot, bibs, cited, hit.Paper.Paper, hit.Score)).ToList();
        return new RelatedPapersResult(text, items);
    }

    private static RelatedPaperItem Item(WorkspaceSnapshot snapshot, IReadOnlyList<Bib.BibDocument> bibs, IReadOnlySet<string> cited, Paper paper, double score)
    {
        var bibKey = WorkspaceSnapshot.KeyInBibs(bibs, paper);
        string key = bibKey ?? paper.Key;
        FileRange? definition = bibKey is not null && WorkspaceSnapshot.FindEntry(bibs, bibKey) is { } found
            ? new FileRange(found.Bib.Path, found.Entry.Range)
            : paper.Source.File.Length > 0 ? new FileRange(paper.Source.File, LineRange.At(new LinePosition(Math.Max(0, paper.Source.Line - 1), 0))) : null;
        return new RelatedPaperItem(paper with { Key = key }, key, score, PaperMarkdown.Snippet(paper), cited.Contains(key), bibKey is not null, definition);
    }
}
