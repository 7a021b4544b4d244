using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Features;
using PaperLens.Features.Bib;
using PaperLens.Sources.Drafts;
using PaperLens.Features.Ranking;
using PaperLens.Index;
using PaperLens.Sources;
using Serilog;

namespace PaperLens.Server.Cli;

/// <summary>
/// `paperlens eval-editor`: citation ranking measured through the editor's own ranking (<see cref="CitationRanker"/>, the
/// function completion and the sidebar use), on drafts built as the editor sees them: the devset's real documents with
/// one citation removed and the cursor where it stood, or the context text with the cursor at the citation.
/// </summary>
public static partial class EditorEvalCommand
{
    private sealed record Site(string Field, DraftDocument Draft, LinePosition Position, HashSet<string> Relevant, ImmutableDictionary<string, DraftDocument> Others);

    public static Command Create()
    {
        var devset = new Option<string?>("--devset") { Description = "The devset folder (queries.jsonl, documents.jsonl, sources/): bib scope" };
        var acm = new Option<string?>("--acm") { Description = "The extracted ACM-CR collection (data/acm-dl, data/topics+qrels)" };
        var acmQueries = new Option<string?>("--acm-queries") { Description = "ACM-CR queries.jsonl" };
        var scope = new Option<string>("--scope") { Description = "ACM-CR: own (each paper's reference list) or corpus (the whole collection, embedded once and cached)", DefaultValueFactory = _ => "own" };
        var fields = new Option<string>("--fields") { Description = "Comma-separated: context, context_before, draft (the real document; ACM-CR: the citing paper built from its contexts)", DefaultValueFactory = _ => "context,context_before,draft" };
        var borrow = new Option<bool>("--borrow") { Description = "Devset: add ACM-CR records of the same papers (abstracts for title-only entries); needs --acm" };
        var maxDocs = new Option<int>("--max-docs") { Description = "Evaluate only the first N citing documents (0: all)" };
        var fitOut = new Option<string?>("--fit-out") { Description = "Write weights fitted on every site (all features) to this file" };
        var lexicalOnly = new Option<bool>("--lexical-only") { Description = "No embedding model: lexical and draft signals only" };
        var secondModel = new Option<string?>("--second-model") { Description = "Also rank with this model folder (same --fp32): both models alone, and both models' cosines as features of one fit" };
        var trials = new Option<bool>("--trials") { Description = "Also fit the final ranking without the signals on trial, and with each of them alone (held-out, paired CIs)" };
        var casesOut = new Option<string?>("--cases-out") { Description = "Save the ranked sites (features, keys, cited) to this file" };
        var casesIn = new Option<string?>("--cases-in") { Description = "Read the sites saved by --cases-out instead of ranking (fits and tables only); several files, comma-separated, are pooled: one fit per fold over all of them, a table per file and field" };
        var defaults = new Boosting();
        var trees = new Option<int>("--trees") { Description = "Boosted trees on top of the linear fit (0: linear only)", DefaultValueFactory = _ => defaults.Trees };
        var treeDepth = new Option<int>("--tree-depth") { Description = "Depth of each boosted tree", DefaultValueFactory = _ => defaults.Depth };
        var treeRate = new Option<double>("--tree-rate") { Description = "Shrinkage of each boosted tree", DefaultValueFactory = _ => defaults.Rate };
        var treeLambda = new Option<double>("--tree-lambda") { Description = "L2 on the trees' leaf values", DefaultValueFactory = _ => defaults.Lambda };
        var treeMinHessian = new Option<double>("--tree-min-hessian") { Description = "Least hessian (about sites) a tree's leaf holds", DefaultValueFactory = _ => defaults.MinHessian };
        var noAblation = new Option<bool>("--no-ablation") { Description = "Leave out the base fit and the one-signal ablation rows (faster)" };
        var depth = new Option<int>("--depth") { Description = "Candidates per catalog list (completion's depth by default)", DefaultValueFactory = _ => CitationRanker.DefaultDepth };
        var command = new Command("eval-editor", "Evaluate the editor's ranking (BM25, dense, old fusion, shipped and cross-validated weights, signal ablation)")
            { devset, acm, acmQueries, scope, fields, borrow, maxDocs, fitOut, lexicalOnly, secondModel, trials, casesOut, casesIn, trees, treeDepth, treeRate, treeLambda, treeMinHessian, noAblation, depth };
        command.SetAction((parse, ct) =>
        {
            var boosting = parse.GetValue(trees) <= 0 ? null : new Boosting(parse.GetValue(trees), parse.GetValue(treeDepth), parse.GetValue(treeRate),
                parse.GetValue(treeLambda), parse.GetValue(treeMinHessian));
            string commandLine = string.Join(" ", Environment.GetCommandLineArgs().Skip(1));
            if (parse.GetValue(casesIn) is { } saved)
            {
                var (savedName, savedCases) = ReadCases(saved.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                var wantedFields = parse.GetValue(fields)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                savedCases = savedCases.Where(c => wantedFields.Contains(c.Field[(c.Field.LastIndexOf(' ') + 1)..])).ToList();
                Report(savedName, savedCases, RankingWeights.Default, parse.GetValue(fitOut), commandLine, boosting, !parse.GetValue(noAblation));
                if (parse.GetValue(trials)) ReportTrials(savedName, savedCases, commandLine, boosting);
                return Task.FromResult(0);
            }
            CitationRanker.Depth = Math.Max(1, parse.GetValue(depth));
            IEmbedder? embedder = null;
            var embedderOptions = CliOptions.EmbedderOptions(parse);
            if (!parse.GetValue(lexicalOnly) && !EmbedderFactory.TryCreate(parse.GetValue(CliOptions.Model), out embedder, out var error, embedderOptions))
                Log.Warning("Semantic ranking is off: {Reason}", error);
            IEmbedder? second = null;
            if (parse.GetValue(secondModel) is { } secondDir && !EmbedderFactory.TryCreate(secondDir, out second, out var secondError, embedderOptions))
                throw new CliException($"--second-model: {secondError}");
            if (second is not null && embedder is null) throw new CliException("--second-model needs the first model");
            var wanted = parse.GetValue(fields)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            string cache = Path.Combine(AppPaths.CacheDirectory, "eval-editor");
            Directory.CreateDirectory(cache);
            List<(string Field, EvalCase Case)> cases;
            string name;
            if (parse.GetValue(devset) is { } dev)
            {
                var borrowed = parse.GetValue(borrow) && parse.GetValue(acm) is { } a ? LoadAcm(a) : null;
                cases = Devset(dev, wanted, borrowed, embedder, second, cache, parse.GetValue(maxDocs), ct);
                name = $"devset, bib scope{(borrowed is null ? "" : ", abstracts borrowed from ACM-CR")}";
            }
            else if (parse.GetValue(acm) is { } acmRoot && parse.GetValue(acmQueries) is { } q)
            {
                bool own = parse.GetValue(scope) == "own";
                cases = Acm(acmRoot, q, own, wanted, embedder, second, cache, parse.GetValue(maxDocs), ct);
                name = own ? "ACM-CR, own scope" : $"ACM-CR, corpus scope (whole collection{(embedder is null ? ", lexical" : "")})";
            }
            else throw new CliException("give --devset DIR, or --acm DIR with --acm-queries FILE");
            if (parse.GetValue(casesOut) is { } outPath) WriteCases(outPath, name, cases);
            Report(name, cases, RankingWeights.ForModel(embedder?.ModelId), parse.GetValue(fitOut), commandLine, boosting, !parse.GetValue(noAblation));
            if (parse.GetValue(trials)) ReportTrials(name, cases, commandLine, boosting);
            if (second is not null) ReportModels(name, cases, embedder!.ModelId, second.ModelId, commandLine);
            return Task.FromResult(0);
        });
        return command;
    }

    private static readonly (string Name, string[] Features)[] Signals =
    [
        ("sentence at the cursor", ["lex_sentence_title", "lex_sentence_abstract", "cos_sentence"]),
        ("the cursor's sentence alone", ["lex_cursor_sentence_title", "lex_cursor_sentence_abstract", "cos_cursor_sentence"]),
        ("draft title+abstract", ["lex_global", "cos_global"]),
        ("cited in this draft", ["cited_in_draft"]),
        ("cited in other drafts", ["cited_in_workspace"]),
        ("co-citation", ["cocited"]),
        ("author overlap", ["author_overlap"]),
        ("demote this paragraph's citations", ["in_paragraph"]),
        ("has abstract", ["has_abstract"]),
    ];
    private static readonly string[] Base = ["lex_paragraph", "cos_paragraph", "rrf_lex_paragraph", "rrf_cos_paragraph"];

    /// <summary>Signals on trial (`--trials`): each added alone to the final set without any of them.</summary>
    private static readonly (string Name, string[] Features)[] Trials =
    [
        ("reciprocal ranks of the sentence lists", ["rrf_cos_sentence", "rrf_cos_cursor_sentence", "rrf_lex_cursor_sentence_title", "rrf_lex_cursor_sentence_abstract"]),
        ("the last clause's words in the title", ["clause_in_title"]),
        ("both", ["rrf_cos_sentence", "rrf_cos_cursor_sentence", "rrf_lex_cursor_sentence_title", "rrf_lex_cursor_sentence_abstract", "clause_in_title"]),
    ];

    private static void ReportTrials(string name, List<(string Field, EvalCase Case)> all, string commandLine, Boosting? boosting)
    {
        var onTrial = Trials.SelectMany(t => t.Features).Select(RankingFeatures.Index).ToHashSet();
        var without = Enumerable.Range(0, RankingFeatures.Count).Where(i => !onTrial.Contains(i)).ToArray();
        var pooled = all.Select(x => x.Case).ToList();
        var none = RankingEval.CrossValidated(pooled, without, boosting: boosting);
        var rows = Trials.Select(t => (t.Name, Weights: RankingEval.CrossValidated(pooled, without.Concat(t.Features.Select(RankingFeatures.Index)).ToArray(), boosting: boosting))).ToList();
        Console.Out.WriteLine();
        Console.Out.WriteLine($"## {name}: signals on trial");
        Console.Out.WriteLine($"`paperlens {commandLine}`; each signal added alone to the final set without the signals on trial ({Scorer(boosting)}); held-out MRR, and the paired difference with its 95% bootstrap CI over citing documents.");
        Console.Out.WriteLine();
        var fields = all.Select(x => x.Field).Distinct().ToList();
        Console.Out.WriteLine("| signal | " + string.Join(" | ", fields.Select(f => $"`{f}`")) + " |");
        Console.Out.WriteLine("|---|" + string.Concat(fields.Select(_ => "---|")));
        var byField = fields.ToDictionary(f => f, f => all.Where(x => x.Field == f).Select(x => x.Case).ToList());
        Console.Out.WriteLine("| none (MRR) | " + string.Join(" | ", fields.Select(f => RankingEval.Score(byField[f], none).Mrr.ToString("F3"))) + " |");
        Console.Out.WriteLine("| BM25 (MRR) | " + string.Join(" | ", fields.Select(f => RankingEval.Score(byField[f], _ => RankingWeights.Bm25).Mrr.ToString("F3"))) + " |");
        foreach (var (signal, w) in rows)
            Console.Out.WriteLine($"| {signal} | " + string.Join(" | ", fields.Select(f =>
            {
                var (mean, low, high) = RankingEval.Bootstrap(byField[f], w, none);
                return $"{mean:+0.000;-0.000;0.000} [{low:+0.000;-0.000;0.000}, {high:+0.000;-0.000;0.000}]";
            })) + " |");
    }

    private static string Scorer(Boosting? b) =>
        b is null ? "linear" : $"linear + {b.Trees} boosted trees of depth {b.Depth}, rate {b.Rate}, leaf L2 {b.Lambda}, least hessian {b.MinHessian}";

    private static void Report(string name, List<(string Field, EvalCase Case)> all, RankingWeights shipped, string? fitOut, string commandLine, Boosting? boosting, bool ablation = true)
    {
        var allFeatures = Enumerable.Range(0, RankingFeatures.Count).ToArray();
        int[] Ids(IEnumerable<string> names) => names.Select(RankingFeatures.Index).ToArray();
        // Folds by citing document; one model per fold over every field's sites.
        var pooled = all.Select(x => x.Case).ToList();
        var linear = RankingEval.CrossValidated(pooled, allFeatures);
        var final = boosting is null ? linear : RankingEval.CrossValidated(pooled, allFeatures, boosting: boosting);
        var baseFit = ablation ? RankingEval.CrossValidated(pooled, Ids(Base)) : null;
        var ablations = ablation ? Signals.Select(s => (s.Name, Weights: RankingEval.CrossValidated(pooled, Ids(Base.Concat(s.Features))))).ToList() : [];
        Console.Out.WriteLine($"## {name}");
        Console.Out.WriteLine($"`paperlens {commandLine}`; folds by citing document (5); every fitted figure is held-out; final scorer: {Scorer(boosting)}.");
        foreach (var group in all.GroupBy(x => x.Field))
        {
            var cases = group.Select(x => x.Case).ToList();
            Console.Out.WriteLine();
            Console.Out.WriteLine($"### field `{group.Key}`: {cases.Count} sites, {cases.Select(c => c.Document).Distinct().Count()} citing documents, {cases.Average(c => c.Keys.Length):F0} candidates per site");
            Console.Out.WriteLine();
            Console.Out.WriteLine("| ranking | " + string.Join(" | ", RankingEval.Cutoffs.Select(k => $"R@{k}")) + " | MRR |");
            Console.Out.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---|", RankingEval.Cutoffs.Length + 1)));
            void Row(string label, Func<EvalCase, RankingWeights> w)
            {
                var f = RankingEval.Score(cases, w);
                Console.Out.WriteLine($"| {label} | " + string.Join(" | ", f.Recall.Select(r => r.ToString("F3"))) + $" | {f.Mrr:F3} |");
            }
            Row("BM25 (paragraph)", _ => RankingWeights.Bm25);
            Row("dense (paragraph)", _ => RankingWeights.Dense);
            Row("before: RRF BM25+dense", _ => RankingWeights.ReciprocalRankFusion);
            Row("shipped weights", _ => shipped);
            if (baseFit is not null) Row("base fit (paragraph BM25+dense)", baseFit);
            foreach (var (signal, w) in ablations) Row($"base + {signal}", w);
            if (boosting is not null) Row("final, linear only (all signals, held-out)", linear);
            Row("**final (all signals, held-out)**", final);
            var (mean, low, high) = RankingEval.Bootstrap(cases, final, _ => RankingWeights.Bm25);
            var (mean2, low2, high2) = RankingEval.Bootstrap(cases, final, _ => RankingWeights.ReciprocalRankFusion);
            Console.Out.WriteLine();
            Console.Out.WriteLine($"final − BM25: MRR {mean:+0.000;-0.000}, 95% bootstrap CI over citing documents [{low:+0.000;-0.000}, {high:+0.000;-0.000}]");
            Console.Out.WriteLine($"final − before (RRF): MRR {mean2:+0.000;-0.000}, 95% CI [{low2:+0.000;-0.000}, {high2:+0.000;-0.000}]");
            if (boosting is not null)
            {
                var (mean3, low3, high3) = RankingEval.Bootstrap(cases, final, linear);
                Console.Out.WriteLine($"final − linear only: MRR {mean3:+0.000;-0.000;0.000}, 95% CI [{low3:+0.000;-0.000;0.000}, {high3:+0.000;-0.000;0.000}]");
            }
        }
        if (fitOut is not null)
        {
            var weights = boosting is null ? RankingEval.Fit(pooled, allFeatures) : RankingEval.FitBoosted(pooled, allFeatures, boosting);
            string note = $"Listwise softmax fit (RankingEval.Fit: Adam, 200 steps, L2 1e-3, every candidate{(boosting is null ? "" : "; then RankingEval.FitBoosted: " + Scorer(boosting))}) on all {pooled.Count} sites of: {name}. " +
                $"Refit: paperlens {commandLine}";
            File.WriteAllText(fitOut, weights.ToJson(note));
            Console.Out.WriteLine();
            Console.Out.WriteLine($"fitted weights written to {fitOut}: {weights}");
        }
    }

    // ---- devset: the documents' own .bib files, the real drafts ----

    private static List<(string, EvalCase)> Devset(string root, HashSet<string> fields, BorrowIndex? borrowed, IEmbedder? embedder, IEmbedder? second, string cache, int maxDocs, CancellationToken ct)
    {
        var docs = File.ReadLines(Path.Combine(root, "documents.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(d => d.GetProperty("kept").GetBoolean()).ToList();
        if (maxDocs > 0) docs = docs.Take(maxDocs).ToList();
        var queries = File.ReadLines(Path.Combine(root, "queries.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .GroupBy(q => q.GetProperty("paper").GetString()!).ToDictionary(g => g.Key, g => g.ToList());
        var result = new ConcurrentBag<(string, EvalCase)>();
        int located = 0, missed = 0;
        Parallel.ForEach(docs, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, doc =>
        {
            string paper = doc.GetProperty("paper").GetString()!;
            string repoDir = Path.Combine(root, "sources", doc.GetProperty("repo").GetString()!.Replace('/', '+'));
            var bibPaths = doc.GetProperty("bibs").EnumerateArray().Select(b => Path.GetFullPath(Path.Combine(repoDir, b.GetString()!))).Where(File.Exists).ToList();
            var bibs = bibPaths.Select(p => BibDocument.Parse(p, File.ReadAllText(p))).ToList();
            var extras = borrowed is null ? [] : bibs.SelectMany(b => b.Entries).SelectMany(e => borrowed.Matches(e.Paper)).DistinctBy(p => p.Key).ToList();
            string indexPath = Path.Combine(cache, $"devset-{Safe(paper)}{(borrowed is null ? "" : "-borrow")}.db");
            using var catalog = OpenCatalog(indexPath, bibPaths, extras, embedder);
            using var secondCatalog = second is null ? null : OpenCatalog(indexPath, bibPaths, extras, second);
            string draftPath = Path.GetFullPath(Path.Combine(repoDir, doc.GetProperty("path").GetString()!));
            string draftText = File.ReadAllText(draftPath);
            var others = PathExpander.FilesUnder(repoDir)
                .Where(f => DraftDocument.IsDraft(f) && Path.GetFullPath(f) != draftPath && new FileInfo(f).Length < 2_000_000)
                .ToImmutableDictionary(f => Path.GetFullPath(f), f => new DraftDocument(Path.GetFullPath(f), File.ReadAllText(f), 1), WorkspaceSnapshot.PathComparer);
            var original = new DraftDocument(draftPath, draftText, 1);
            var snapshotBase = new WorkspaceSnapshot { Catalog = catalog, Bibs = bibs.ToImmutableDictionary(b => b.Path, b => b, WorkspaceSnapshot.PathComparer) };
            var bibKeys = bibs.SelectMany(b => b.Entries).Select(e => e.Key).ToHashSet(BibDocument.KeyComparer);
            foreach (var q in queries.GetValueOrDefault(paper) ?? [])
            {
                var relevant = q.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).Where(bibKeys.Contains).ToHashSet(BibDocument.KeyComparer);
                if (relevant.Count == 0) continue;
                bool latex = q.GetProperty("format").GetString() == "latex";
                string context = q.GetProperty("context").GetString()!, before = q.GetProperty("context_before").GetString()!;
                var sites = new List<Site>();
                string dir = Path.GetDirectoryName(draftPath)!;
                if (fields.Contains("context")) sites.Add(ContextSite("context", dir, latex, before, context, relevant));
                if (fields.Contains("context_before")) sites.Add(ContextSite("context_before", dir, latex, before, before, relevant));
                if (fields.Contains("draft"))
                {
                    // The citation may sit in a file the document \input's: look in every draft of the repository.
                    var keys = q.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToHashSet(BibDocument.KeyComparer);
                    var found = others.Values.Prepend(original).Select(d => RemoveCitation(d, keys, before)).OfType<(Site Site, int Score)>()
                        .OrderByDescending(x => x.Score).FirstOrDefault();
                    if (found.Site is { } site)
                    {
                        sites.Add(site with { Relevant = relevant, Others = others.Remove(site.Draft.Path).SetItem(original.Path, original).Remove(site.Draft.Path) });
                        Interlocked.Increment(ref located);
                    }
                    else Interlocked.Increment(ref missed);
                }
                foreach (var s in sites)
                {
                    ct.ThrowIfCancellationRequested();
                    var snapshot = snapshotBase with { Drafts = s.Others.SetItem(s.Draft.Path, s.Draft) };
                    var query = CitationQuery.At(s.Draft, s.Position);
                    List<RankedPaper> RankWith(WorkspaceSnapshot w) => CitationRanker.Rank(w, query, w.BibsFor(s.Draft), allFeatures: true, ct: ct).Where(r => r.InBibliography).ToList();
                    var ranked = RankWith(snapshot);
                    if (secondCatalog is not null) ranked = WithSecondModel(ranked, RankWith(snapshot with { Catalog = secondCatalog }));
                    result.Add((s.Field, EvalCase.Of(paper, ranked, s.Relevant)));
                }
            }
            Console.Error.WriteLine($"{paper}: {catalog.Count} entries indexed, {result.Count} sites so far");
        });
        Console.Error.WriteLine($"devset: {result.Count} sites ranked");
        if (fields.Contains("draft")) Console.Error.WriteLine($"draft field: {located} sites found in the real documents, {missed} not found (left out)");
        return result.OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2.Document, StringComparer.Ordinal).ToList();
    }

    /// <summary>A one-paragraph draft: the text before the citation, an empty citation with the cursor in it, the rest.</summary>
    private static Site ContextSite(string field, string dir, bool latex, string before, string text, HashSet<string> relevant)
    {
        string rest = text.StartsWith(before, StringComparison.Ordinal) ? text[before.Length..] : "";
        string open = latex ? " \\cite{" : " [@";
        string body = (latex ? "" : "") + before + open + (latex ? "}" : "]") + rest;
        var draft = new DraftDocument(Path.Combine(dir, latex ? "eval-context.tex" : "eval-context.md"), body, 1);
        return new Site(field, draft, draft.Lines.PositionOf(before.Length + open.Length), relevant, ImmutableDictionary.Create<string, DraftDocument>(WorkspaceSnapshot.PathComparer));
    }

    /// <summary>The real draft without the citation under test (its keys removed, the command left empty), cursor inside it.</summary>
    private static (Site, int)? RemoveCitation(DraftDocument draft, HashSet<string> keys, string contextBefore)
    {
        // The devset's context is the source's text (`\texttt{sylkie}`, `\paragraph{…}`): compared as plain text, as the draft's side is.
        if (LocateCitation(draft, DraftText.ToPlainText(contextBefore, draft.Kind), c => c.Keys.Any(k => keys.Contains(k.Key))) is not ({ } citation, int score)) return null;
        int start = citation.Keys[0].Span.Start, end = citation.Keys[^1].Span.End;
        var text = draft.Text[..start] + draft.Text[end..];
        var edited = new DraftDocument(draft.Path, text, 2);
        return (new Site("draft", edited, edited.Lines.PositionOf(start), keys, ImmutableDictionary.Create<string, DraftDocument>(WorkspaceSnapshot.PathComparer)), score);
    }

    /// <summary>
    /// An ACM-CR query's site in the citing paper's draft: the <c>\cite</c> whose preceding text ends as
    /// <paramref name="contextBefore"/> does, whatever it cites (the query's first marker may cite a paper outside the
    /// collection, as "boosted trees [8]" a tech report), its keys removed and the cursor put there. A query counts every
    /// citation of its sentence as relevant, so the sentence's later citations of <paramref name="keys"/> go too: the author
    /// is writing that sentence, and none of them is in the draft yet. The sentence ends where the ranking's query ends it
    /// (<see cref="CitationQuery.SentenceEndAfter"/>). Null when no citation's text matches.
    /// </summary>
    public static (DraftDocument Draft, LinePosition Cursor)? RemoveSentenceCitations(DraftDocument draft, HashSet<string> keys, string contextBefore)
    {
        if (LocateCitation(draft, contextBefore, _ => true, c => c.Keys.Any(k => keys.Contains(k.Key))) is not ({ } site, _)) return null;
        int lineEnd = draft.Text.IndexOf('\n', site.Span.End); // a context is one line of the draft
        int sentenceEnd = Math.Min(CitationQuery.SentenceEndAfter(draft.Text, site.Span.End), lineEnd < 0 ? draft.Text.Length : lineEnd);
        var later = draft.Info.Citations
            .Where(c => c.Span.Start >= site.Span.End && c.Span.End <= sentenceEnd && c.Keys.Any(k => keys.Contains(k.Key)))
            .OrderByDescending(c => c.Span.Start);
        var text = new System.Text.StringBuilder(draft.Text);
        foreach (var c in later)
        {
            int from = c.Span.Start;
            while (from > site.Span.End && text[from - 1] == ' ') from--; // "models \cite{…}," → "models,"
            text.Remove(from, c.Span.End - from);
        }
        int start = site.Keys[0].Span.Start, end = site.Keys[^1].Span.End;
        text.Remove(start, end - start);
        var edited = new DraftDocument(draft.Path, text.ToString(), 2);
        return (edited, edited.Lines.PositionOf(start));
    }

    /// <summary>
    /// The citation of <paramref name="eligible"/> ones whose preceding text (as plain text) ends most like
    /// <paramref name="textBefore"/> does (its last 40 letters and digits), ties to <paramref name="preferred"/> ones, and
    /// how many letters they share; null when none shares at least 10 (or all of a shorter text).
    /// </summary>
    public static (DraftCitation Citation, int Score)? LocateCitation(DraftDocument draft, string textBefore, Func<DraftCitation, bool> eligible,
        Func<DraftCitation, bool>? preferred = null)
    {
        string tail = Letters(textBefore);
        tail = tail[Math.Max(0, tail.Length - 40)..];
        var best = draft.Info.Citations.Where(eligible)
            .Select(c => (c, Score: CommonSuffix(Letters(DraftText.ToPlainText(draft.Text[Math.Max(0, c.Span.Start - 600)..c.Span.Start], draft.Kind)), tail)))
            .OrderByDescending(x => x.Score).ThenByDescending(x => preferred?.Invoke(x.c) ?? false).FirstOrDefault();
        return best.c is null || best.Score < Math.Min(10, tail.Length) ? null : (best.c, best.Score);
    }

    private static string Letters(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static int CommonSuffix(string a, string b)
    {
        int n = 0;
        while (n < a.Length && n < b.Length && a[^(n + 1)] == b[^(n + 1)]) n++;
        return n;
    }

    // ---- ACM-CR ----

    private static List<(string, EvalCase)> Acm(string root, string queriesPath, bool own, HashSet<string> fields, IEmbedder? embedder, IEmbedder? second, string cache, int maxDocs, CancellationToken ct)
    {
        var queries = File.ReadLines(queriesPath).Select(l => JsonDocument.Parse(l).RootElement.Clone()).GroupBy(q => q.GetProperty("citing_doi").GetString()!).ToList();
        if (maxDocs > 0) queries = queries.Take(maxDocs).ToList();
        var result = new ConcurrentBag<(string, EvalCase)>();
        var citingPapers = PathExpander.FilesUnder(Path.Combine(root, "data", "topics+qrels", "papers")).Where(f => f.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            .Select(f => AcmCitingPaper.Read(XDocument.Load(f))).ToDictionary(p => p.Doi);
        string acmDl = Path.Combine(root, "data", "acm-dl");
        bool drafts = fields.Contains("draft");
        List<Paper>? papers = own || drafts ? SourceLoader.LoadAll([acmDl], _ => { }).ToList() : null;
        var byDoi = papers?.Where(p => p.Doi is not null).GroupBy(p => p.Doi!.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
        int located = 0, missed = 0;
        using var corpusCatalog = own ? null : OpenCatalog(Path.Combine(cache, "acm-corpus.db"), [acmDl], [], embedder);
        using var secondCorpusCatalog = own || second is null ? null : OpenCatalog(Path.Combine(cache, "acm-corpus.db"), [acmDl], [], second);
        Parallel.ForEach(queries, new ParallelOptions { MaxDegreeOfParallelism = own ? 2 : 1, CancellationToken = ct }, group =>
        {
            string citing = group.Key.ToLowerInvariant();
            var citingPaper = citingPapers.GetValueOrDefault(citing);
            var ownRefs = own ? (citingPaper?.References.Values ?? []).Distinct().Select(d => byDoi!.GetValueOrDefault(d)).OfType<Paper>().ToList() : [];
            if (own && ownRefs.Count == 0) return;
            string dir = Path.Combine(cache, "acm-own", Safe(citing));
            Directory.CreateDirectory(dir);
            var bibs = new List<BibDocument>();
            if (own)
            {
                string bibPath = Path.Combine(dir, "references.bib");
                File.WriteAllText(bibPath, string.Concat(ownRefs.Select(p => BibEntryWriter.Format(p, p.Key) + "\n")));
                bibs.Add(BibDocument.Parse(bibPath, File.ReadAllText(bibPath)));
            }
            var catalog = corpusCatalog ?? OpenCatalog(Path.Combine(dir, "index.db"), [Path.Combine(dir, "references.bib")], [], embedder);
            var secondCatalog = second is null ? null : own ? OpenCatalog(Path.Combine(dir, "index.db"), [Path.Combine(dir, "references.bib")], [], second)
                : secondCorpusCatalog;
            try
            {
                var snapshot = new WorkspaceSnapshot { Catalog = catalog, Bibs = bibs.ToImmutableDictionary(b => b.Path, b => b, WorkspaceSnapshot.PathComparer) };
                var keyByDoi = bibs.SelectMany(b => b.Entries).Where(e => e.Paper.Doi is not null).GroupBy(e => e.Paper.Doi!.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().Key);
                // The draft field: the citing paper as a draft, every reference cited by the key its record has in the collection.
                var draft = drafts && citingPaper is not null
                    ? new DraftDocument(Path.Combine(dir, "draft.tex"), AcmDraftText(citingPaper, r => byDoi!.GetValueOrDefault(r)?.Key), 1) : null;
                foreach (var q in group)
                {
                    var cited = q.GetProperty("cited_dois").EnumerateArray().Select(d => d.GetString()!.ToLowerInvariant()).ToHashSet();
                    string context = q.GetProperty("context").GetString()!, before = q.GetProperty("context_before").GetString()!;
                    foreach (var field in fields.Where(f => f is "context" or "context_before" or "draft"))
                    {
                        Site site;
                        if (field == "draft")
                        {
                            var keys = cited.Select(d => byDoi!.GetValueOrDefault(d)?.Key).OfType<string>().ToHashSet(BibDocument.KeyComparer);
                            if (draft is null || RemoveSentenceCitations(draft, keys, before) is not ({ } edited, var cursor)) { Interlocked.Increment(ref missed); continue; }
                            site = new Site("draft", edited, cursor, keys, ImmutableDictionary.Create<string, DraftDocument>(WorkspaceSnapshot.PathComparer));
                            Interlocked.Increment(ref located);
                        }
                        else site = ContextSite(field, dir, latex: true, before, field == "context" ? context : before, []);
                        var query = CitationQuery.At(site.Draft, site.Position) with { DraftTitle = q.GetProperty("citing_title").GetString() };
                        var drafted = field == "draft" ? snapshot with { Drafts = snapshot.Drafts.SetItem(site.Draft.Path, site.Draft) } : snapshot;
                        List<RankedPaper> RankWith(WorkspaceSnapshot w) => CitationRanker.Rank(w, query, bibs, allFeatures: true, ct: ct).Where(r => !own || r.InBibliography).ToList();
                        var ranked = RankWith(drafted);
                        if (secondCatalog is not null) ranked = WithSecondModel(ranked, RankWith(drafted with { Catalog = secondCatalog }));
                        var relevant = ranked.Where(r => r.Paper.Doi is { } d && cited.Contains(d.ToLowerInvariant())).Select(r => r.Key).ToHashSet(BibDocument.KeyComparer);
                        if (own) relevant.UnionWith(cited.Select(keyByDoi.GetValueOrDefault).OfType<string>());
                        if (relevant.Count == 0 && own) continue;
                        // Corpus scope: every cited paper counts, found in the ranking's lists or not.
                        result.Add((field, EvalCase.Of(citing, ranked, relevant, own ? relevant.Count : cited.Count)));
                    }
                }
            }
            finally
            {
                if (corpusCatalog is null) catalog.Dispose();
                if (own) secondCatalog?.Dispose();
            }
        });
        if (drafts) Console.Error.WriteLine($"draft field: {located} sites found in the citing papers' contexts, {missed} not found (left out)");
        return result.OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2.Document, StringComparer.Ordinal).ToList();
    }

    // ---- shared ----

    /// <summary>An index file of the given sources (re-read only when they changed) plus extra records, embedded (vectors cached by model and text hash).</summary>
    private static PaperCatalog OpenCatalog(string indexPath, IReadOnlyList<string> sources, IReadOnlyList<Paper> extras, IEmbedder? embedder)
    {
        var store = PaperStore.Open(indexPath, verify: false);
        var indexer = new Indexer(store) { Filter = extras.Count == 0 ? null : papers => papers.Concat(extras.Where(e => papers.All(p => p.Key != e.Key))).ToList() };
        if (indexer.IsStale(sources) || extras.Count > 0) indexer.Sync(sources, _ => { });
        if (embedder is not null)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = indexer.EmbedPending(embedder, new SlowProgress(p => Console.Error.WriteLine($"{Path.GetFileName(indexPath)}: embedded {p.Done}/{p.Total} in {clock.Elapsed.TotalSeconds:F0} s")));
            if (result.Embedded > 0) Console.Error.WriteLine($"{Path.GetFileName(indexPath)}: {result.Embedded} texts embedded in {result.Elapsed.TotalSeconds:F0} s");
        }
        return new PaperCatalog(store, embedder);
    }

    /// <summary>Reports every 5,000 texts, for long embedding runs.</summary>
    private sealed class SlowProgress(Action<IndexProgress> report) : IProgress<IndexProgress>
    {
        private long _next = 5000;
        public void Report(IndexProgress value)
        {
            if (value.Done < _next) return;
            _next = value.Done + 5000;
            report(value);
        }
    }

    private static string Safe(string s) => SafeName().Replace(s, "_");
    [GeneratedRegex(@"[^A-Za-z0-9._-]")] private static partial Regex SafeName();

    private static BorrowIndex LoadAcm(string root) => new(SourceLoader.LoadAll([Path.Combine(root, "data", "acm-dl")], _ => { }));

    /// <summary>Corpus records with abstracts, by DOI, arXiv id and normalised title, for <see cref="PaperIdentity.SamePaper"/>.</summary>
    private sealed class BorrowIndex(IReadOnlyList<Paper> papers)
    {
        private readonly ILookup<string, Paper> _byTitle = papers.Where(p => !string.IsNullOrWhiteSpace(p.Abstract)).ToLookup(p => TitleNormalizer.Normalize(p.Title));
        private readonly ILookup<string, Paper> _byDoi = papers.Where(p => !string.IsNullOrWhiteSpace(p.Abstract) && p.Doi is not null).ToLookup(p => PaperIdentifiers.DoiKey(p.Doi) ?? "");

        public IEnumerable<Paper> Matches(Paper entry)
        {
            var near = _byTitle[TitleNormalizer.Normalize(entry.Title)].Concat(PaperIdentifiers.DoiKey(entry.Doi) is { } d ? _byDoi[d] : []);
            return near.Where(r => PaperIdentity.SamePaper(entry, r)).Select(r => r with { Key = "acmcr:" + r.Key });
        }
    }
}
