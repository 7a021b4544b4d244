using System.Globalization;
using System.Runtime.CompilerServices;
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
        var typed = new TypedPrefix(prefix);
        foreach (var r in ranked.Where((r, i) => i < CitationRanker.Depth || r.InBibliography))
            if (prefix.Length == 0 || Match(r.Paper, r.Key, typed) > 0) candidates[r.Key] = new Candidate(r.Key, r.Paper, Relevance(r.Score), r.InBibliography, r);
        ct.ThrowIfCancellationRequested();
        foreach (var bib in bibs)
            foreach (var entry in bib.Entries)
                if (prefix.Length == 0 ? bib.Entries.Count <= 2000 : Match(entry.Paper, entry.Key, typed) > 0)
                    Add(entry.Paper with { Key = entry.Key });
        if (prefix.Length > 0)
            foreach (var p in snapshot.Catalog.PrefixMatches(prefix, PrefixCandidates)) Add(p.Paper);

        var takenKeys = bibs.SelectMany(b => b.Entries).Select(e => e.Key).ToHashSet(BibDocument.KeyComparer);
        string targetBib = snapshot.TargetBibFor(draft);
        var items = candidates.Values
            .Select(c => (c, Match: prefix.Length == 0 ? 0 : Match(c.Paper, c.Key, typed)))
            .Where(x => prefix.Length == 0 || x.Match > 0)
            .Select(x => (x.c, Score: x.c.Relevance + x.Match + (x.c.InBibliography ? 0.05 : 0)))
            .OrderByDescending(x => prefix.Length > 0 && x.c.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) // for clients that filter by key prefix
            .ThenByDescending(x => x.Score).ThenBy(x => x.c.Key, StringComparer.Ordinal)
            .Take(snapshot.Settings.CompletionMaxItems)
            .Select((x, i) =>
            {
                var c = x.c;
                string key = c.InBibliography ? c.Key : BibKeys.Unique(c.Key, k => takenKeys.Contains(k));
                string? addToBib = c.InBibliography ? null : targetBib;
                var row = RowFor(c, key, addToBib, query);
                return new CitationCompletionItem(key, row.Detail, row.Documentation, i.ToString("D4", CultureInfo.InvariantCulture),
                    row.FilterText, cited.Contains(key), c.InBibliography, c.Paper, addToBib);
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

    /// <summary>What a row shows of a paper under a key. <see cref="RankingReason.Explain"/> reads the paper's title and abstract.</summary>
    private sealed record RowText(string Key, string? AddToBib, string Detail, string Documentation, string FilterText);

    /// <summary>
    /// The row texts of ranked papers, kept as long as their ranking is (the ranker's cache holds it): each letter typed after
    /// `\cite{` shows mostly the same papers of the same ranking, so their rows are built once, not once per letter.
    /// </summary>
    private static readonly ConditionalWeakTable<RankedPaper, RowText> RankedRows = new();

    private static RowText RowFor(Candidate c, string key, string? addToBib, CitationQuery query)
    {
        if (c.Ranked is { } ranked && RankedRows.TryGetValue(ranked, out var known) && known.Key == key && known.AddToBib == addToBib) return known;
        var shown = c.Paper with { Key = key };
        string? why = c.Ranked is { } r ? RankingReason.Explain(r, query) : null; // the ranking's query: the cache key holds its texts
        var row = new RowText(key, addToBib, CompletionRows.Detail(shown), CompletionRows.Documentation(shown, addToBib, why), FilterText(shown));
        if (c.Ranked is not null) RankedRows.AddOrUpdate(c.Ranked, row);
        return row;
    }

    /// <summary>The ranker's score squashed into (0, 1), so a typed prefix's match (0.4 to 1) still weighs in; order is kept.</summary>
    private static double Relevance(double score) => 1 / (1 + Math.Exp(-score));

    private sealed record Candidate(string Key, Paper Paper, double Relevance, bool InBibliography, RankedPaper? Ranked);

    /// <summary>How well a typed prefix matches: key 1.0, author surname 0.8, title word 0.6, year 0.4, else 0.</summary>
    public static double Match(Paper paper, string key, string prefix) => Match(paper, key, new TypedPrefix(prefix));

    /// <summary>A typed prefix and its ASCII-folded form (as surnames are compared), folded once per completion.</summary>
    private sealed class TypedPrefix(string text)
    {
        public string Text { get; } = text;
        public string Folded { get; } = AsciiFold.ToKeyPart(text);
    }

    /// <summary>Each paper's surnames ASCII-folded, kept while the paper is: completion matches every ranked paper per letter typed.</summary>
    private static readonly ConditionalWeakTable<Paper, string[]> FoldedSurnames = new();

    private static double Match(Paper paper, string key, TypedPrefix prefix)
    {
        string text = prefix.Text;
        if (key.StartsWith(text, StringComparison.OrdinalIgnoreCase)) return 1.0;
        if (text.Length > 0 && paper.Authors.Count > 0)
            foreach (var surname in FoldedSurnames.GetValue(paper, p => p.Authors.Select(a => AsciiFold.ToKeyPart(a.Family)).ToArray()))
                if (surname.StartsWith(prefix.Folded, StringComparison.Ordinal)) return 0.8;
        if (TitleWordStarts(paper.Title, text)) return 0.6;
        if (paper.Year is { } year && year.ToString(CultureInfo.InvariantCulture).StartsWith(text, StringComparison.Ordinal)) return 0.4;
        return 0;
    }

    /// <summary>Whether a word of the title (split at spaces, hyphens and colons) starts with <paramref name="prefix"/>, case-insensitive.</summary>
    private static bool TitleWordStarts(string title, string prefix)
    {
        var rest = title.AsSpan();
        while (true)
        {
            int end = rest.IndexOfAny(' ', '-', ':');
            var word = end < 0 ? rest : rest[..end];
            if (word.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
            if (end < 0) return false;
            rest = rest[(end + 1)..];
        }
    }

    /// <summary>Key, surnames, title words and year, so the editor's own filter matches any of them.</summary>
    private static string FilterText(Paper paper) =>
        string.Join(' ', new[] { paper.Key }.Concat(paper.Authors.Select(a => a.Family)).Concat(paper.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Append(paper.Year?.ToString(CultureInfo.InvariantCulture) ?? ""));
}
