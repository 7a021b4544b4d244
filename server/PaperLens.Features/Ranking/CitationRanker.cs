using System.Runtime.CompilerServices;
using PaperLens.Core;
using PaperLens.Features.Bib;
using PaperLens.Index;

namespace PaperLens.Features.Ranking;

/// <summary>A ranked candidate: the key to cite it by, its features and score, and a few words on why it is suggested.</summary>
public sealed record RankedPaper(string Key, Paper Paper, bool InBibliography, double Score, double[] Features, string? CocitedWith)
{
    public double Feature(string name) => Features[RankingFeatures.Index(name)];
}

/// <summary>How a catalog's ranks were served: from the cache, by waiting on the same ranking in flight, or computed.</summary>
public sealed record RankCacheCounts(long Hits, long Joined, long Computed);

/// <summary>
/// The one ranking of papers for a place in a draft, used by completion, the sidebar and the eval harness: the catalog's
/// lexical and dense lists for the sentence, the paragraph and the draft's front matter, merged with the draft's
/// bibliography (an entry takes the signals of a corpus record of the same paper), the draft's own citations as
/// features, and the score of <see cref="RankingWeights"/> (linear, plus boosted trees where the file ships them).
/// </summary>
public static class CitationRanker
{
    /// <summary>Candidates each catalog list gives the ranking; settable only to measure another depth (`eval-editor --depth`).</summary>
    public static int Depth { get; set; } = DefaultDepth;
    public const int DefaultDepth = 200;
    /// <summary>Bibliographies up to this size are ranked whole; larger ones only through the catalog's lists.</summary>
    public const int WholeBibliography = 2000;

    private static readonly (SignalKind Kind, Func<CitationQuery, string> Text, string Feature)[] Lists =
    [
        (SignalKind.Lexical, q => q.Paragraph, "lex_paragraph"), // the sentence's rarest terms first (SignalQuery.Focus)
        (SignalKind.LexicalTitle, q => q.Sentence, "lex_sentence_title"),
        (SignalKind.LexicalAbstract, q => q.Sentence, "lex_sentence_abstract"),
        (SignalKind.Lexical, q => q.Global, "lex_global"),
        (SignalKind.Dense, q => q.Paragraph, "cos_paragraph"),
        (SignalKind.Dense, q => q.Sentence, "cos_sentence"),
        (SignalKind.Dense, q => q.Global, "cos_global"),
        (SignalKind.Dense, q => q.CursorSentence, "cos_cursor_sentence"),
        (SignalKind.LexicalTitle, q => q.CursorSentence, "lex_cursor_sentence_title"),
        (SignalKind.LexicalAbstract, q => q.CursorSentence, "lex_cursor_sentence_abstract"),
    ];

    private static readonly int[] ListFeature = Lists.Select(l => RankingFeatures.Index(l.Feature)).ToArray();
    /// <summary>Per list, its reciprocal-rank feature (rrf_ + the list's feature), or -1 where it has none.</summary>
    private static readonly int[] ListRrf = Lists.Select(l => Array.IndexOf(RankingFeatures.Names, "rrf_" + l.Feature)).ToArray();
    private static readonly int CitedInDraft = RankingFeatures.Index("cited_in_draft"), CitedInWorkspace = RankingFeatures.Index("cited_in_workspace");
    private static readonly int Cocited = RankingFeatures.Index("cocited"), AuthorOverlap = RankingFeatures.Index("author_overlap");
    private static readonly int InParagraph = RankingFeatures.Index("in_paragraph"), HasAbstract = RankingFeatures.Index("has_abstract");
    private static readonly int NamesAuthor = RankingFeatures.Index("names_author"), KeyInSentence = RankingFeatures.Index("key_in_sentence");
    private static readonly int TitleTerm = RankingFeatures.Index("title_term_in_sentence");
    private static readonly int KeyShare = RankingFeatures.Index("key_share"), TitleTermShare = RankingFeatures.Index("title_term_share");
    private static readonly int ClauseTitle = RankingFeatures.Index("clause_in_title");

    /// <summary>
    /// Candidates best first (ties by key). <paramref name="allFeatures"/> computes every feature, even those the weights
    /// ignore (the eval needs them; completion does not).
    /// </summary>
    public static IReadOnlyList<RankedPaper> Rank(WorkspaceSnapshot snapshot, CitationQuery query, IReadOnlyList<BibDocument> bibs,
        RankingWeights? weights = null, bool allFeatures = false, CancellationToken ct = default)
    {
        weights ??= ShippedOrSet(snapshot);
        // Weights that read every feature compute them all anyway: the sidebar and completion then share one cache entry.
        allFeatures &= !weights.UsesEvery;
        // Typing a key changes neither the query nor the draft's other citations: rank once per such state.
        var cache = Cache.GetValue(snapshot.Catalog, _ => new RankCache());
        string cacheKey = CacheKey(snapshot, query, bibs, weights, allFeatures);
        Task<IReadOnlyList<RankedPaper>>? running;
        TaskCompletionSource<IReadOnlyList<RankedPaper>>? mine = null;
        lock (cache)
        {
            if (cache.TryGetValue(cacheKey, out var cached)) { cache.Hits++; return cached; }
            if (!cache.Running.TryGetValue(cacheKey, out running))
            {
                mine = new(TaskCreationOptions.RunContinuationsAsynchronously);
                cache.Running[cacheKey] = mine.Task;
                cache.Computed++;
            }
        }
        if (running is not null)
        {
            // The same state is being ranked (by the background ranker): wait for it rather than rank it twice.
            try { var joined = running.WaitAsync(ct).GetAwaiter().GetResult(); lock (cache) cache.Joined++; return joined; }
            catch (Exception) when (!ct.IsCancellationRequested) { lock (cache) cache.Computed++; } // its owner gave up: rank here
            return RankUncached(snapshot, query, bibs, weights, allFeatures, ct);
        }
        try
        {
            var result = RankUncached(snapshot, query, bibs, weights, allFeatures, ct);
            lock (cache)
            {
                if (cache.Count > 32) cache.Clear();
                cache[cacheKey] = result;
                cache.Running.Remove(cacheKey);
            }
            mine!.SetResult(result);
            return result;
        }
        catch (Exception e)
        {
            lock (cache) cache.Running.Remove(cacheKey);
            if (e is OperationCanceledException) mine!.SetCanceled(); else mine!.SetException(e);
            throw;
        }
    }

    /// <summary>The weights the settings name, else those shipped for the catalog's model.</summary>
    public static RankingWeights ShippedOrSet(WorkspaceSnapshot snapshot) =>
        snapshot.Settings.Ranking ?? RankingWeights.ForModel(snapshot.Catalog.Embedder?.ModelId);

    /// <summary>The cache entry completion's <see cref="Rank"/> uses for this state: equal keys share one ranking.</summary>
    public static string CacheKeyFor(WorkspaceSnapshot snapshot, CitationQuery query, IReadOnlyList<BibDocument> bibs) =>
        CacheKey(snapshot, query, bibs, ShippedOrSet(snapshot), allFeatures: false);

    public static RankCacheCounts CacheCounts(PaperCatalog catalog)
    {
        var cache = Cache.GetValue(catalog, _ => new RankCache());
        lock (cache) return new RankCacheCounts(cache.Hits, cache.Joined, cache.Computed);
    }

    private sealed class RankCache : Dictionary<string, IReadOnlyList<RankedPaper>>
    {
        public RankCache() : base(StringComparer.Ordinal) { }
        public Dictionary<string, Task<IReadOnlyList<RankedPaper>>> Running { get; } = new(StringComparer.Ordinal);
        public long Hits, Joined, Computed;
    }

    private static readonly ConditionalWeakTable<PaperCatalog, RankCache> Cache = new();

    private static string CacheKey(WorkspaceSnapshot snapshot, CitationQuery q, IReadOnlyList<BibDocument> bibs, RankingWeights weights, bool allFeatures) =>
        string.Join('\u0001',
            snapshot.Catalog.Version, RuntimeHelpers.GetHashCode(weights), allFeatures,
            string.Join(',', bibs.Select(RuntimeHelpers.GetHashCode)),
            string.Join(',', snapshot.Drafts.Values.Where(d => d.Path != q.DraftPath).Select(RuntimeHelpers.GetHashCode)),
            q.Sentence, q.CursorSentence, q.CursorClause, q.Paragraph, q.Global, q.DraftTitle ?? "", q.DraftPath ?? "",
            string.Join(',', q.CitedInParagraph.Order(StringComparer.Ordinal)),
            string.Join(',', q.CitedInDraft.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value)));

    private static IReadOnlyList<RankedPaper> RankUncached(WorkspaceSnapshot snapshot, CitationQuery query, IReadOnlyList<BibDocument> bibs,
        RankingWeights weights, bool allFeatures, CancellationToken ct)
    {
        var entries = bibs.Sum(b => b.Entries.Count) <= WholeBibliography ? bibs.SelectMany(b => b.Entries).ToList() : [];
        var signals = snapshot.Catalog.Signals(Queries(query, weights, allFeatures), Depth + entries.Count, entries.Select(e => e.Key), ct);
        ct.ThrowIfCancellationRequested();

        // Candidates by key: catalog records under their bibliography key when the bibliography has the paper.
        var candidates = new Dictionary<string, (Paper Paper, bool InBib, List<long> Ids)>(BibDocument.KeyComparer);
        foreach (var entry in entries)
        {
            var ids = signals.IdByKey.TryGetValue(entry.Key, out long id) ? new List<long> { id } : [];
            candidates.TryAdd(entry.Key, (entry.Paper with { Key = entry.Key }, true, ids));
        }
        foreach (var (id, stored) in signals.Papers)
        {
            var paper = stored.Paper;
            string? bibKey = WorkspaceSnapshot.KeyInBibs(bibs, paper);
            string key = bibKey ?? paper.Key;
            if (!candidates.TryGetValue(key, out var c))
            {
                var shown = bibKey is null ? paper : (WorkspaceSnapshot.FindEntry(bibs, bibKey)?.Entry.Paper ?? paper) with { Key = bibKey };
                candidates[key] = (shown, bibKey is not null, [id]);
            }
            else if (!c.Ids.Contains(id) && (paper.Key.Equals(key, StringComparison.OrdinalIgnoreCase) || PaperIdentity.SamePaper(c.Paper, paper)))
                c.Ids.Add(id); // the entry borrows this record's abstract (its lexical and dense signals)
        }

        var lists = signals.Lists.Select(ListScores).ToArray();
        var workspace = WorkspaceCitations(snapshot, query);
        var citedAuthors = AuthorsOf(bibs, query.CitedInDraft.Keys);
        string? ownTitle = query.DraftTitle is { } t ? TitleNormalizer.Normalize(t) : null;
        var names = allFeatures || new[] { NamesAuthor, KeyInSentence, TitleTerm, KeyShare, TitleTermShare }.Any(weights.Uses)
            ? SentenceNames.Of(query.CursorSentence) : null;
        var clause = allFeatures || weights.Uses(ClauseTitle) ? CursorClause.Of(query.CursorClause) : null;

        var ranked = new List<RankedPaper>(candidates.Count);
        foreach (var (key, (paper, inBib, ids)) in candidates)
        {
            if (ownTitle is { Length: > 0 } && TitleNormalizer.Normalize(paper.Title) == ownTitle) continue; // the citing paper itself
            var f = new double[RankingFeatures.Count];
            for (int i = 0; i < Lists.Length; i++)
            {
                int feature = ListFeature[i], rrf = ListRrf[i];
                f[feature] = lists[i].Missing;
                foreach (long id in ids)
                    if (lists[i].ById.TryGetValue(id, out var hit))
                    {
                        f[feature] = Math.Max(f[feature], hit.Value);
                        if (rrf >= 0) f[rrf] = Math.Max(f[rrf], 61.0 / (60 + hit.Rank));
                    }
            }
            f[CitedInDraft] = Math.Log(1 + query.CitedInDraft.GetValueOrDefault(key));
            f[CitedInWorkspace] = Math.Log(1 + workspace.Counts.GetValueOrDefault(key));
            var co = workspace.Cocited.GetValueOrDefault(key);
            f[Cocited] = Math.Log(1 + co.Count);
            f[AuthorOverlap] = paper.Authors.Count == 0 || citedAuthors.Count == 0 ? 0 : paper.Authors.Count(a => citedAuthors.Contains(Surname(a))) / (double)paper.Authors.Count;
            f[InParagraph] = query.CitedInParagraph.Contains(key) ? 1 : 0;
            f[HasAbstract] = !string.IsNullOrWhiteSpace(paper.Abstract) || ids.Any(id => signals.Papers.TryGetValue(id, out var p) && !string.IsNullOrWhiteSpace(p.Paper.Abstract)) ? 1 : 0;
            if (names is not null)
            {
                f[NamesAuthor] = names.NamedAuthor(paper).Score;
                f[KeyInSentence] = names.KeyWords(key).Score;
                f[TitleTerm] = names.TitleTerm(paper) is null ? 0 : 1;
            }
            if (clause is not null) f[ClauseTitle] = clause.ShareIn(paper.Title);
            ranked.Add(new RankedPaper(key, paper, inBib, 0, f, co.Count > 0 ? co.With : null));
        }
        if (names is not null) AddShares(ranked, names);
        return Order(ranked.Select(r => r with { Score = weights.Score(r.Features) }), r => r.Score);
    }

    /// <summary>
    /// The _share features: for a candidate whose key words or title terms the sentence names, 1 / the number of this site's
    /// candidates that share the rarest of them ("bert" names one paper, "deep" twenty).
    /// </summary>
    private static void AddShares(List<RankedPaper> ranked, SentenceNames names)
    {
        Share(KeyInSentence, KeyShare, r => names.MatchedKeyWords(r.Key));
        Share(TitleTerm, TitleTermShare, r => names.TitleTerms(r.Paper).Select(t => t.ToLowerInvariant()));

        void Share(int feature, int share, Func<RankedPaper, IEnumerable<string>> words)
        {
            var matched = ranked.Select(r => r.Features[feature] > 0 ? words(r).Distinct().ToList() : []).ToList();
            var counts = matched.SelectMany(w => w).CountBy(w => w).ToDictionary();
            for (int i = 0; i < ranked.Count; i++)
                ranked[i].Features[share] = matched[i].Count == 0 ? 0 : matched[i].Max(w => 1.0 / counts[w]);
        }
    }

    /// <summary>
    /// Reads ahead what ranking this query will need from the index (<see cref="PaperCatalog.Prefetch"/>) without ranking:
    /// cheap enough to do after every word typed, so that the ranking after a pause only adds up what is cached.
    /// </summary>
    public static void Prefetch(WorkspaceSnapshot snapshot, CitationQuery query, CancellationToken ct = default) =>
        snapshot.Catalog.Prefetch(Queries(query, ShippedOrSet(snapshot)), ct);

    /// <summary>The catalog lists a ranking asks for, in feature order; a list the weights ignore is asked with no text.</summary>
    public static IReadOnlyList<SignalQuery> Queries(CitationQuery query, RankingWeights weights, bool allFeatures = false) =>
        Lists.Select((l, i) => new SignalQuery(l.Kind, allFeatures || Needs(weights, i) ? l.Text(query) : "", i == 0 ? query.Sentence : null)).ToList();

    /// <summary>Best first by a score, ties by key (ordinal): the one order every consumer shows.</summary>
    public static List<RankedPaper> Order(IEnumerable<RankedPaper> papers, Func<RankedPaper, double> score) =>
        papers.OrderByDescending(score).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();

    private static bool Needs(RankingWeights weights, int list) =>
        weights.Uses(ListFeature[list]) || (ListRrf[list] >= 0 && weights.Uses(ListRrf[list]));

    private sealed record ScoredList(Dictionary<long, (int Rank, double Value)> ById, double Missing);

    /// <summary>BM25 as a share of the best score (missing: 0); cosine minus the best cosine (missing: the worst listed).</summary>
    private static ScoredList ListScores(IReadOnlyList<(long Id, double Score)> list, int index)
    {
        var byId = new Dictionary<long, (int, double)>();
        if (list.Count == 0) return new ScoredList(byId, 0);
        bool dense = Lists[index].Kind == SignalKind.Dense;
        double top = list[0].Score;
        for (int r = 0; r < list.Count; r++)
            byId.TryAdd(list[r].Id, (r + 1, dense ? list[r].Score - top : top > 0 ? list[r].Score / top : 0));
        return new ScoredList(byId, dense ? list[^1].Score - top - 0.01 : 0);
    }

    private sealed record Workspace(Dictionary<string, int> Counts, Dictionary<string, (int Count, string With)> Cocited);

    /// <summary>How often each key is cited in the workspace's other drafts, and co-cited with this paragraph's citations in other paragraphs.</summary>
    private static Workspace WorkspaceCitations(WorkspaceSnapshot snapshot, CitationQuery query)
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var cocited = new Dictionary<string, (int, string)>(StringComparer.OrdinalIgnoreCase);
        var perAnchor = new Dictionary<(string, string), int>();
        foreach (var draft in snapshot.Drafts.Values)
        {
            bool self = draft.Path == query.DraftPath;
            var groups = DraftCitationGroups.Of(draft);
            if (!self) foreach (var (key, n) in groups.Counts) counts[key] = counts.GetValueOrDefault(key) + n;
            if (query.CitedInParagraph.Count == 0) continue;
            foreach (var (start, end, keys) in groups.Paragraphs)
            {
                if (self && query.Offset >= start && query.Offset <= end) continue;
                var anchors = keys.Where(query.CitedInParagraph.Contains).ToList();
                if (anchors.Count == 0) continue;
                foreach (var key in keys)
                {
                    if (query.CitedInParagraph.Contains(key)) continue;
                    var (n, with) = cocited.GetValueOrDefault(key, (0, anchors[0]));
                    foreach (var a in anchors)
                    {
                        int pair = perAnchor[(key, a)] = perAnchor.GetValueOrDefault((key, a)) + 1;
                        if (pair > perAnchor.GetValueOrDefault((key, with))) with = a;
                    }
                    cocited[key] = (n + 1, with);
                }
            }
        }
        return new Workspace(counts, cocited);
    }

    private static HashSet<string> AuthorsOf(IReadOnlyList<BibDocument> bibs, IEnumerable<string> keys)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
            if (WorkspaceSnapshot.FindEntry(bibs, key) is { } found)
                foreach (var a in found.Entry.Paper.Authors) names.Add(Surname(a));
        names.Remove("");
        return names;
    }

    private static string Surname(PersonName name) => AsciiFold.ToKeyPart(name.Family);
}
