using System.Globalization;
using PaperLens.Core;
using PaperLens.Features.Bib;
using PaperLens.Features.Ranking;
using PaperLens.Sources.Drafts;

namespace PaperLens.Features.Completion;

/// <summary>
/// One suggested key. <see cref="Paper"/> keeps the catalog's own key; <see cref="AddToBib"/> names the .bib the entry
/// must be appended to (under <see cref="Key"/>) when it is not in the draft's bibliography.
/// </summary>
public sealed record CitationCompletionItem(
    string Key, string Detail, string Documentation, string SortText, string FilterText, bool Cited, bool InBibliography, Paper Paper, string? AddToBib);

public sealed record CitationCompletionResult(LineRange ReplaceRange, IReadOnlyList<CitationCompletionItem> Items, bool IsIncomplete);

/// <summary>
/// Citation keys for the cursor inside `\cite{…}` or `[@…]`: papers ranked by relevance to the paragraph,
/// combined with how well the typed prefix matches the key, author surnames, title words and year.
/// </summary>
public static class CitationCompletion
{
    private const int PrefixCandidates = 100;

    public static CitationCompletionResult? Complete(WorkspaceSnapshot snapshot, DraftDocument draft, LinePosition position, CancellationToken ct = default)
    {
        var site = draft.SiteAt(draft.Lines.OffsetOf(position));
        if (site is null) return null;
        var bibs = snapshot.BibsFor(draft);
        var cited = draft.CitedKeys;
        string prefix = site.Prefix;
        var query = CitationQuery.At(draft, position);

        var candidates = new Dictionary<string, Candidate>(StringComparer.OrdinalIgnoreCase);
        var ranked = CitationRanker.Rank(snapshot, query, bibs, ct: ct);
        // The ranking's top (as many as the old fused list held) and the bibliography; deeper catalog hits only cost time.
        foreach (var r in ranked.Where((r, i) => i < CitationRanker.Depth || r.InBibliography))
            if (prefix.Length == 0 || Match(r.Paper, r.Key, prefix) > 0) candidates[r.Key] = new Candidate(r.Key, r.Paper, Relevance(r.Score), r.InBibliography, r);
        ct.ThrowIfCancellationRequested();
        foreach (var bib in bibs)
            foreach (var entry in bib.Entries)
                if (prefix.Length == 0 ? bib.Entries.Count <= 2000 : Match(entry.Paper, entry.Key, prefix) > 0)
                    Add(entry.Paper with { Key = entry.Key });
        if (prefix.Length > 0)
            foreach (var p in snapshot.Catalog.PrefixMatches(prefix, PrefixCandidates)) Add(p.Paper);

        var takenKeys = bibs.SelectMany(b => b.Entries).Select(e => e.Key).ToHashSet(BibDocument.KeyComparer);
        string targetBib = snapshot.TargetBibFor(draft);
        var items = candidates.Values
            .Select(c => (c, Match: prefix.Length == 0 ? 0 : Match(c.Paper, c.Key, prefix)))
            .Where(x => prefix.Length == 0 || x.Match > 0)
            .Select(x => (x.c, Score: x.c.Relevance + x.Match + (x.c.InBibliography ? 0.05 : 0)))
            .OrderByDescending(x => prefix.Length > 0 && x.c.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) // for clients that filter by key prefix
            .ThenByDescending(x => x.Score).ThenBy(x => x.c.Key, StringComparer.Ordinal)
            .Take(snapshot.Settings.CompletionMaxItems)
            .Select((x, i) =>
            {
                var c = x.c;
                string key = c.InBibliography ? c.Key : BibKeys.Unique(c.Key, k => takenKeys.Contains(k));
                var shown = c.Paper with { Key = key };
                string? addToBib = c.InBibliography ? null : targetBib;
                string? why = c.Ranked is { } r ? RankingReason.Explain(r, query) : null;
                return new CitationCompletionItem(key, CompletionRows.Detail(shown), CompletionRows.Documentation(shown, addToBib, why), i.ToString("D4", CultureInfo.InvariantCulture),
                    FilterText(shown), cited.Contains(key), c.InBibliography, c.Paper, addToBib);
            }).ToList();
        return new CitationCompletionResult(draft.Lines.RangeOf(site.ReplaceSpan.Start, site.ReplaceSpan.Length), items, IsIncomplete: true);

        // A paper the ranking did not list (a prefix match): offered once, under its bibliography key when the bibliography has it.
        void Add(Paper paper)
        {
            var bibKey = WorkspaceSnapshot.KeyInBibs(bibs, paper);
            string key = bibKey ?? paper.Key;
            if (candidates.ContainsKey(key)) return;
            var bibPaper = bibKey is null ? paper : (WorkspaceSnapshot.FindEntry(bibs, bibKey)?.Entry.Paper ?? paper) with { Key = bibKey };
            candidates[key] = new Candidate(key, bibPaper, 0, bibKey is not null, null);
        }
    }

    /// <summary>The ranker's score squashed into (0, 1), so a typed prefix's match (0.4 to 1) still weighs in; order is kept.</summary>
    private static double Relevance(double score) => 1 / (1 + Math.Exp(-score));

    private sealed record Candidate(string Key, Paper Paper, double Relevance, bool InBibliography, RankedPaper? Ranked);

    /// <summary>How well a typed prefix matches: key 1.0, author surname 0.8, title word 0.6, year 0.4, else 0.</summary>
    public static double Match(Paper paper, string key, string prefix)
    {
        if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return 1.0;
        if (paper.Authors.Any(a => AsciiFold.ToKeyPart(a.Family).StartsWith(AsciiFold.ToKeyPart(prefix), StringComparison.Ordinal) && prefix.Length > 0)) return 0.8;
        if (paper.Title.Split(' ', '-', ':').Any(w => w.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))) return 0.6;
        if (paper.Year?.ToString(CultureInfo.InvariantCulture).StartsWith(prefix, StringComparison.Ordinal) == true) return 0.4;
        return 0;
    }

    /// <summary>Key, surnames, title words and year, so the editor's own filter matches any of them.</summary>
    private static string FilterText(Paper paper) =>
        string.Join(' ', new[] { paper.Key }.Concat(paper.Authors.Select(a => a.Family)).Concat(paper.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Append(paper.Year?.ToString(CultureInfo.InvariantCulture) ?? ""));
}
