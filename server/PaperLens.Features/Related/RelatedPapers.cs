using PaperLens.Core;
using PaperLens.Features.Ranking;

namespace PaperLens.Features.Related;

/// <summary>A paper related to some text, with what the sidebar needs to show and act on it.</summary>
public sealed record RelatedPaperItem(Paper Paper, string Key, double Score, string Snippet, bool Cited, bool InBibliography, FileRange? Definition, string? Why = null);

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
        Ranked(snapshot, draft, CitationQuery.At(draft, position), limit, ct, cutOff: true);

    public static RelatedPapersResult ForRange(WorkspaceSnapshot snapshot, DraftDocument draft, LineRange range, int limit, CancellationToken ct = default)
    {
        int start = draft.Lines.OffsetOf(range.Start), end = draft.Lines.OffsetOf(range.End);
        if (end <= start) return ForPosition(snapshot, draft, range.Start, limit, ct);
        return ForText(snapshot, draft, DraftText.ToPlainText(draft.Text[start..end], draft.Kind), limit, ct, cutOff: true);
    }

    /// <summary>Only the papers that matter for a paragraph, not always a full page (see <see cref="LexicalShare"/>).</summary>
    private static IEnumerable<RankedPaper> AboveCutOff(IReadOnlyList<RankedPaper> ranked)
    {
        double topLexical = ranked.Max(r => r.Feature("lex_paragraph")), topSemantic = ranked.Max(r => r.Feature("cos_paragraph"));
        return ranked.Where((r, i) => i < MinimumRows || (topLexical > 0 && r.Feature("lex_paragraph") >= topLexical * LexicalShare)
            || r.Feature("cos_paragraph") >= topSemantic - CosineMargin);
    }

    /// <summary>"Large language models are trained with a fixed…": the first words of a text.</summary>
    public static string FirstWords(string text)
    {
        var words = text.Split((char[]?)null, FirstWordCount + 1, StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= FirstWordCount ? string.Join(' ', words) : string.Join(' ', words.Take(FirstWordCount)) + "…";
    }

    /// <summary>Ranks papers for a text; with a draft, marks what it cites and what its bibliography holds.</summary>
    public static RelatedPapersResult ForText(WorkspaceSnapshot snapshot, DraftDocument? draft, string text, int limit, CancellationToken ct = default, bool cutOff = false) =>
        Ranked(snapshot, draft, CitationQuery.ForText(text), limit, ct, cutOff);

    /// <summary>The completion's ranking (<see cref="CitationRanker"/>); with a draft, marks what it cites and what its bibliography holds.</summary>
    private static RelatedPapersResult Ranked(WorkspaceSnapshot snapshot, DraftDocument? draft, CitationQuery query, int limit, CancellationToken ct, bool cutOff)
    {
        var bibs = draft is null ? [] : snapshot.BibsFor(draft);
        var cited = draft?.CitedKeys ?? new HashSet<string>();
        if (string.IsNullOrWhiteSpace(query.Paragraph)) return new RelatedPapersResult(query.Paragraph, []);
        // Only papers some query matched: a whole bibliography tied at zero says nothing about this paragraph.
        var ranked = CitationRanker.Rank(snapshot, query, bibs, allFeatures: true, ct: ct)
            .Where(r => r.Feature("lex_paragraph") > 0 || r.Feature("rrf_cos_paragraph") > 0 || r.Feature("lex_sentence_title") > 0 || !snapshot.Catalog.HasDense).ToList();
        var items = (cutOff && ranked.Count > 0 ? AboveCutOff(ranked) : ranked).Take(limit).Select(r => Item(bibs, cited, r, query)).ToList();
        return new RelatedPapersResult(query.Paragraph, items);
    }

    private static RelatedPaperItem Item(IReadOnlyList<Bib.BibDocument> bibs, IReadOnlySet<string> cited, RankedPaper ranked, CitationQuery query)
    {
        var paper = ranked.Paper;
        FileRange? definition = ranked.InBibliography && WorkspaceSnapshot.FindEntry(bibs, ranked.Key) is { } found
            ? new FileRange(found.Bib.Path, found.Entry.Range)
            : paper.Source.File.Length > 0 ? new FileRange(paper.Source.File, LineRange.At(new LinePosition(Math.Max(0, paper.Source.Line - 1), 0))) : null;
        return new RelatedPaperItem(paper with { Key = ranked.Key }, ranked.Key, ranked.Score, PaperMarkdown.Snippet(paper), cited.Contains(ranked.Key),
            ranked.InBibliography, definition, RankingReason.Explain(ranked, query));
    }
}
