using PaperLens.Core;
using PaperLens.Features.Bib;
using PaperLens.Sources.Drafts;

namespace PaperLens.Features.CodeActions;

/// <summary>A text edit in a file; a missing file is created first.</summary>
public sealed record FileEdit(string Path, LineRange Range, string NewText);

/// <summary>Edits that cite a paper: the citation in the draft's own syntax and, when needed, its entry in the bibliography.</summary>
public static class CitationEdits
{
    /// <summary>Cites <paramref name="key"/> at <paramref name="position"/>: into the citation the cursor is in, or as a new one.</summary>
    public static IReadOnlyList<FileEdit> CiteAt(WorkspaceSnapshot snapshot, DraftDocument draft, LinePosition position, string key)
    {
        var (bibEdits, finalKey) = EnsureInBibliography(snapshot, draft, key);
        int offset = draft.Lines.OffsetOf(position);
        return [.. bibEdits, CitationInsertion(draft, offset, finalKey)];
    }

    /// <summary>Cites at the end of the sentence that holds <paramref name="position"/> (before its full stop).</summary>
    public static IReadOnlyList<FileEdit> CiteAtSentenceEnd(WorkspaceSnapshot snapshot, DraftDocument draft, LinePosition position, string key)
    {
        var (bibEdits, finalKey) = EnsureInBibliography(snapshot, draft, key);
        return [.. bibEdits, CitationInsertion(draft, SentenceEnd(draft, position), finalKey)];
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

    private static FileEdit CitationInsertion(DraftDocument draft, int offset, string key)
    {
        string separator = draft.Kind == DraftKind.Latex ? "," : "; @";
        // Inside an existing citation: fill the empty slot, or add the key after the one at the cursor.
        if (draft.SiteAt(offset) is { } site)
            return site.ReplaceSpan.Length == 0
                ? new FileEdit(draft.Path, LineRange.At(draft.Lines.PositionOf(site.ReplaceSpan.Start)), key)
                : new FileEdit(draft.Path, LineRange.At(draft.Lines.PositionOf(site.ReplaceSpan.End)), separator + key);
        foreach (var citation in draft.Info.Citations)
        {
            if (offset <= citation.Span.Start || offset >= citation.Span.End || citation.Keys.Count == 0) continue;
            var last = citation.Keys[^1];
            return new FileEdit(draft.Path, LineRange.At(draft.Lines.PositionOf(last.Span.End)), separator + key);
        }
        char before = offset > 0 ? draft.Text[offset - 1] : ' ';
        string citationText = draft.Kind == DraftKind.Latex
            ? (char.IsWhiteSpace(before) || before == '~' ? "" : "~") + "\\cite{" + key + "}"
            : (char.IsWhiteSpace(before) ? "" : " ") + "[@" + key + "]";
        return new FileEdit(draft.Path, LineRange.At(draft.Lines.PositionOf(offset)), citationText);
    }

    /// <summary>The offset of the full stop ending the sentence at <paramref name="position"/>, or the paragraph's end.</summary>
    public static int SentenceEnd(DraftDocument draft, LinePosition position)
    {
        var paragraph = draft.ParagraphAt(position);
        int limit = draft.Lines.OffsetOf(new LinePosition(paragraph.EndLine - 1, int.MaxValue));
        string text = draft.Text;
        for (int i = draft.Lines.OffsetOf(position); i < limit; i++)
        {
            if (text[i] is '.' or '!' or '?' && (i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1])) && !IsAbbreviation(text, i))
                return i;
        }
        int end = limit;
        while (end > 0 && char.IsWhiteSpace(text[end - 1])) end--;
        return end;
    }

    private static bool IsAbbreviation(string text, int dot)
    {
        int start = dot;
        while (start > 0 && char.IsLetter(text[start - 1])) start--;
        var word = text[start..dot];
        return word is "e.g" or "i.e" or "al" or "cf" or "vs" or "Fig" or "Eq" or "etc" || (word.Length == 1 && char.IsUpper(word[0]));
    }
}
