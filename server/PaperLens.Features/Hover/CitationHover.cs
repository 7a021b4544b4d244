using PaperLens.Core;

namespace PaperLens.Features.Hover;

public sealed record HoverResult(LineRange Range, string Markdown);

/// <summary>Hover on a citation key: the paper with its abstract and links, or, for an unknown key, the closest keys.</summary>
public static class CitationHover
{
    public static HoverResult? Find(WorkspaceSnapshot snapshot, DraftDocument draft, LinePosition position)
    {
        if (draft.KeyAt(position) is not { } at) return null;
        var range = draft.Lines.RangeOf(at.Key.Span.Start, at.Key.Span.Length);
        var bibs = snapshot.BibsFor(draft);
        if (WorkspaceSnapshot.FindEntry(bibs, at.Key.Key) is { } found)
        {
            var entry = found.Entry.Paper with { Key = found.Entry.Key };
            string note = $"{Path.GetFileName(found.Bib.Path)}:{found.Entry.KeyRange.Start.Line + 1}";
            var record = snapshot.Catalog.SamePaperRecord(entry);
            bool merged = false;
            // The index merges an entry with the same paper from another file into one row, under the entry's key.
            if (record is null && snapshot.Catalog.ByKey(entry.Key) is { } own
                && TitleNormalizer.Normalize(own.Paper.Title) == TitleNormalizer.Normalize(entry.Title))
                (record, merged) = (own, true);
            if (record is null)
                return new HoverResult(range, PaperMarkdown.Render(entry, sourceNote: note));
            // Shown, never written back: what the entry lacks, from the corpus record of the same paper.
            var added = new List<string>();
            var shown = entry;
            if (entry.Abstract is null && record.Paper.Abstract is { } abs) { shown = shown with { Abstract = abs }; added.Add("abstract"); }
            if (entry.Doi is null && record.Paper.Doi is { } doi) { shown = shown with { Doi = doi }; added.Add("DOI"); }
            if (entry.ArxivId is null && record.Paper.ArxivId is { } arxiv) { shown = shown with { ArxivId = arxiv }; added.Add("arXiv id"); }
            if (added.Count == 0) return new HoverResult(range, PaperMarkdown.Render(entry, sourceNote: note));
            string from = merged
                ? $"{string.Join(", ", added)} from the index, where this entry is merged with the same paper from another file (`paperlens stats --merges` names it)"
                : $"{string.Join(", ", added)} from the corpus record `{record.Paper.Key}` ({Path.GetFileName(record.Paper.Source.File)}:{record.Paper.Source.Line}), the same paper";
            return new HoverResult(range, PaperMarkdown.Render(shown, sourceNote: note) + "\n\n*" + from + "*");
        }
        if (snapshot.Catalog.ByKey(at.Key.Key) is { } stored)
            return new HoverResult(range, PaperMarkdown.Render(stored.Paper, sourceNote:
                $"{Path.GetFileName(stored.Paper.Source.File)}:{stored.Paper.Source.Line} (corpus; not in this document's bibliography)"));
        var closest = snapshot.Catalog.ClosestKeys(at.Key.Key, 3, bibs.SelectMany(b => b.Entries).Select(e => e.Key));
        string suggestion = closest.Count == 0 ? "" : "\n\nDid you mean " + string.Join(", ", closest.Select(k => $"`{k}`")) + "?";
        return new HoverResult(range, $"Unknown citation key `{at.Key.Key}`: no bibliography entry or corpus paper has it.{suggestion}");
    }
}
