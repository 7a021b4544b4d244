using PaperLens.Core;
using PaperLens.Index;

namespace PaperLens.Features.Related;

/// <summary>A paper related to some text, with what the sidebar needs to show and act on it.</summary>
public sealed record RelatedPaperItem(Paper Paper, string Key, double Score, string Snippet, bool Cited, bool InBibliography, FileRange? Definition);

public sealed record RelatedPapersResult(string Context, IReadOnlyList<RelatedPaperItem> Papers)
{
    /// <summary>The context's first words, for a header saying which paragraph the papers are for.</summary>
    public string FirstWords => RelatedPapers.FirstWords(Context);
}

/// <summary>Papers for the paragraph at a position (or a selection), and free-text search, both against the whole catalog.</summary>
public static class RelatedPapers
{
    // The relevance cut-off for a paragraph: a paper stays when its BM25 is at least this share of the best one, or its
    // cosine is within this margin of the best one; the first MinimumRows always stay. Fused (rank) scores fall off too
    // smoothly to cut on. On the sample corpus's context-window paragraph this keeps the 7 papers on the topic, of 20.
    private const double LexicalShare = 0.2;
    private const double CosineMargin = 0.1;
    public const int MinimumRows = 3;
    private const int FirstWordCount = 8;

    public static RelatedPapersResult ForPosition(WorkspaceSnapshot snapshot, DraftDocument draft, LinePosition position, int limit, CancellationToken ct = default) =>
        ForText(snapshot, draft, draft.ParagraphAt(position).Text, limit, ct, cutOff: true);

    public static RelatedPapersResult ForRange(WorkspaceSnapshot snapshot, DraftDocument draft, LineRange range, int limit, CancellationToken ct = default)
    {
        int start = draft.Lines.OffsetOf(range.Start), end = draft.Lines.OffsetOf(range.End);
        if (end <= start) return ForPosition(snapshot, draft, range.Start, limit, ct);
        return ForText(snapshot, draft, DraftText.ToPlainText(draft.Text[start..end], draft.Kind), limit, ct, cutOff: true);
    }

    /// <summary>Only the hits that matter for a paragraph, not always a full page (see <see cref="LexicalShare"/>).</summary>
    private static IEnumerable<SearchHit> AboveCutOff(IReadOnlyList<SearchHit> hits)
    {
        double topLexical = hits.Max(h => h.Lexical ?? 0), topSemantic = hits.Max(h => h.Semantic ?? double.MinValue);
        return hits.Where((h, i) => i < MinimumRows || (h.Lexical is { } l && l >= topLexical * LexicalShare) || (h.Semantic is { } c && c >= topSemantic - CosineMargin));
    }

    /// <summary>"Large language models are trained with a fixed…": the first words of a text.</summary>
    public static string FirstWords(string text)
    {
        var words = text.Split((char[]?)null, FirstWordCount + 1, StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= FirstWordCount ? string.Join(' ', words) : string.Join(' ', words.Take(FirstWordCount)) + "…";
    }

    /// <summary>Ranks papers for a text; with a draft, marks what it cites and what its bibliography holds.</summary>
    public static RelatedPapersResult ForText(WorkspaceSnapshot snapshot, DraftDocument? draft, string text, int limit, CancellationToken ct = default, bool cutOff = false)
    {
        var bibs = draft is null ? [] : snapshot.BibsFor(draft);
        var cited = draft?.CitedKeys ?? new HashSet<string>();
        var hits = snapshot.Catalog.Rank(text, Math.Max(limit, 1), ct);
        var items = (cutOff && hits.Count > 0 ? AboveCutOff(hits) : hits).Take(limit).Select(hit => Item(snapshot, bibs, cited, hit.Paper.Paper, hit.Score)).ToList();
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
