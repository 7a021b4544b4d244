using PaperLens.Core;
using PaperLens.Features.Bib;
using PaperLens.Features.Related;

namespace PaperLens.Features.CodeActions;

public enum CodeActionKind { Cite, ShowRelated, AddEntry, ChangeKey }

/// <summary>A code action as plain data: edits to apply, or (for ShowRelated) a position for the client's sidebar.</summary>
public sealed record CitationCodeAction(string Title, CodeActionKind Kind, IReadOnlyList<FileEdit> Edits, bool IsPreferred = false, string? FixesKey = null);

/// <summary>"Cite: <title>" for the most related uncited papers, "Show related papers", and quick fixes for undefined keys.</summary>
public static class CitationCodeActions
{
    private const int CiteSuggestions = 3;

    public static IReadOnlyList<CitationCodeAction> For(WorkspaceSnapshot snapshot, DraftDocument draft, LineRange range, CancellationToken ct = default)
    {
        var actions = new List<CitationCodeAction>();
        actions.AddRange(QuickFixes(snapshot, draft, range));

        if (!IsProse(draft, range.Start)) return actions;
        var related = range.Start == range.End
            ? RelatedPapers.ForPosition(snapshot, draft, range.Start, CiteSuggestions * 4, ct)
            : RelatedPapers.ForRange(snapshot, draft, range, CiteSuggestions * 4, ct);
        if (related.Context.Length > 0)
        {
            var paragraph = draft.ParagraphAt(range.Start);
            var citedHere = draft.Info.Citations
                .Where(c => { var line = draft.Lines.PositionOf(c.Span.Start).Line + 1; return line >= paragraph.StartLine && line <= paragraph.EndLine; })
                .SelectMany(c => c.Keys).Select(k => k.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var paper in related.Papers.Where(p => !citedHere.Contains(p.Key)).Take(CiteSuggestions))
                actions.Add(new CitationCodeAction($"Cite: {PaperMarkdown.ShortTitle(paper.Paper, 70)}", CodeActionKind.Cite,
                    CitationEdits.CiteAt(snapshot, draft, range.End, paper.Key)));
            actions.Add(new CitationCodeAction("Show related papers", CodeActionKind.ShowRelated, []));
        }
        return actions;
    }

    private const int MinimumProseWords = 4;

    /// <summary>
    /// Whether the cursor is on a line of a prose paragraph: not blank, not front matter, code or a heading, not a line of
    /// LaTeX commands such as `\begin{document}`, and in a paragraph of a few words at least.
    /// </summary>
    public static bool IsProse(DraftDocument draft, LinePosition position)
    {
        string line = draft.Text[draft.Lines.OffsetOf(new LinePosition(position.Line, 0))..draft.Lines.OffsetOf(draft.Lines.LineEnd(Math.Min(position.Line, draft.Lines.End.Line)))];
        if (draft.Kind == DraftKind.Latex) line = DraftText.StripLatexComment(line);
        if (string.IsNullOrWhiteSpace(line)) return false;
        int first = draft.Lines.OffsetOf(new LinePosition(position.Line, line.Length - line.TrimStart().Length));
        if (draft.Kind == DraftKind.Markdown && (line.TrimStart().StartsWith('#') || draft.Info.NonProse.Any(s => first >= s.Start && first < s.End))) return false;
        if (draft.Kind == DraftKind.Latex && line.TrimStart().StartsWith('\\') && WordCount(DraftText.ToPlainText(line, draft.Kind)) < MinimumProseWords) return false;
        return WordCount(draft.ParagraphAt(position).Text) >= MinimumProseWords;
    }

    private static int WordCount(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetter));

    /// <summary>For each undefined key in the range: add the corpus paper to the bibliography, or change to a near key.</summary>
    public static IEnumerable<CitationCodeAction> QuickFixes(WorkspaceSnapshot snapshot, DraftDocument draft, LineRange range)
    {
        var bibs = snapshot.BibsFor(draft);
        int from = draft.Lines.OffsetOf(range.Start), to = draft.Lines.OffsetOf(range.End);
        foreach (var key in draft.Info.AllKeys.Where(k => k.Span.End >= from && k.Span.Start <= to))
        {
            if (WorkspaceSnapshot.FindEntry(bibs, key.Key) is not null) continue;
            if (snapshot.Catalog.ByKey(key.Key) is { } stored)
            {
                var (edits, finalKey) = CitationEdits.AppendEntry(snapshot, draft, stored.Paper);
                var all = finalKey == key.Key ? edits : [.. edits, new FileEdit(draft.Path, draft.Lines.RangeOf(key.Span.Start, key.Span.Length), finalKey)];
                string target = Path.GetFileName(snapshot.TargetBibFor(draft));
                yield return new CitationCodeAction($"Add \"{PaperMarkdown.ShortTitle(stored.Paper, 50)}\" to {target}", CodeActionKind.AddEntry, all, IsPreferred: true, FixesKey: key.Key);
            }
            var bibKeys = bibs.SelectMany(b => b.Entries).Select(e => e.Key).ToList();
            foreach (var near in Core.EditDistance.Closest(key.Key, bibKeys, 3))
                yield return new CitationCodeAction($"Change to '{near}'", CodeActionKind.ChangeKey,
                    [new FileEdit(draft.Path, draft.Lines.RangeOf(key.Span.Start, key.Span.Length), near)], FixesKey: key.Key);
        }
    }
}
