using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using PaperLens.Core;
using PaperLens.Index;
using Serilog;

namespace PaperLens.Server.Cli;

/// <summary>
/// `paperlens eval --corpus … --queries q.jsonl [--subset N]`: recall@1/5/10/20 and MRR of BM25, dense and hybrid ranking
/// on citation contexts whose cited papers are known (ACM-CR's format).
/// </summary>
public static class EvalCommand
{
    private static readonly int[] RecallCutoffs = [1, 5, 10, 20];
    private const int Depth = 100;

    private sealed record EvalQuery(string Id, string Text, string? CitingDoi, string[] CitedDois);

    public static Command Create()
    {
        var corpus = new Option<string[]>("--corpus") { Description = "Corpus files or folders", Required = true, AllowMultipleArgumentsPerToken = true };
        var queries = new Option<string>("--queries") { Description = "JSON Lines: context, cited_dois, citing_doi", Required = true };
        var subset = new Option<int>("--subset") { Description = "Keep the cited papers plus this many random distractors (0: the whole corpus)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the distractor sample", DefaultValueFactory = _ => 42 };
        var field = new Option<string>("--field") { Description = "Query text field: context or context_before", DefaultValueFactory = _ => "context" };
        var limitQueries = new Option<int>("--max-queries") { Description = "Evaluate only the first N queries (0: all)" };
        var lexicalWeight = new Option<double>("--lexical-weight") { DefaultValueFactory = _ => 1.0, Description = "RRF weight of BM25" };
        var semanticWeight = new Option<double>("--semantic-weight") { DefaultValueFactory = _ => 1.0, Description = "RRF weight of dense" };
        var lexicalOnly = new Option<bool>("--lexical-only") { Description = "Skip embedding and evaluate BM25 alone (quick on the full collection)" };
        var command = new Command("eval", "Evaluate BM25, dense and hybrid ranking against known citations")
            { corpus, queries, subset, seed, field, limitQueries, lexicalWeight, semanticWeight, lexicalOnly };
        command.SetAction((parse, ct) =>
        {
            var qs = ReadQueries(parse.GetValue(queries)!, parse.GetValue(field)!);
            if (parse.GetValue(limitQueries) is > 0 and var n) qs = qs.Take(n).ToList();
            var corpusPaths = parse.GetValue(corpus)!.Select(Path.GetFullPath).ToArray();
            int subsetSize = parse.GetValue(subset), seedValue = parse.GetValue(seed);
            string defaultIndex = Path.Combine(AppPaths.CacheDirectory,
                $"eval-{PaperHashes.Hash(Indexer.CorpusKey(corpusPaths) + subsetSize + "/" + seedValue)[..12]}.db");
            using var session = CliSession.Open(parse, parse.GetValue(CliOptions.Index) is null ? defaultIndex : null);

            var cited = qs.SelectMany(q => q.CitedDois).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var indexer = new Indexer(session.Store) { Filter = subsetSize > 0 ? papers => Subset(papers, cited, subsetSize, seedValue) : null };
            using (var bar = new ProgressBar())
            {
                var sync = indexer.Sync(corpusPaths, p => Log.Debug("{Problem}", p.ToString()), bar, ct);
                Console.Error.WriteLine($"corpus: {sync.Papers} papers from {sync.Files} files ({(subsetSize > 0 ? $"cited papers + {subsetSize} distractors, seed {seedValue}" : "whole collection")}); {sync.Problems} problems");
            }
            if (!parse.GetValue(lexicalOnly) && session.Embedder is { } embedder)
            {
                using var bar = new ProgressBar();
                var e = indexer.EmbedPending(embedder, bar, ct);
                if (e.Embedded > 0) Console.Error.WriteLine($"embedded {e.Embedded} texts in {e.Elapsed.TotalSeconds:F0} s");
            }

            var idByDoi = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in session.Store.AllPapers())
            {
                if (p.Paper.Doi is { } doi) idByDoi.TryAdd(doi, p.Id);
                idByDoi.TryAdd(p.Paper.Key, p.Id);
            }
            var search = parse.GetValue(lexicalOnly) ? new PaperSearch(session.Store, VectorIndex.Empty, null) : session.CreateSearch();
            var options = new SearchOptions { Limit = Depth, LexicalWeight = parse.GetValue(lexicalWeight), SemanticWeight = parse.GetValue(semanticWeight) };
            var modes = search.HasDense ? new[] { SearchMode.Lexical, SearchMode.Dense, SearchMode.Hybrid } : [SearchMode.Lexical];

            Console.Out.WriteLine($"{qs.Count} queries ({parse.GetValue(field)}), {session.Store.Stats(null).Papers} papers; MRR over the top {Depth}.");
            Console.Out.WriteLine();
            Console.Out.WriteLine("| ranking | " + string.Join(" | ", RecallCutoffs.Select(k => $"R@{k}")) + " | MRR | ms/query |");
            Console.Out.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---|", RecallCutoffs.Length + 2)));
            foreach (var mode in modes)
            {
                var recall = new double[RecallCutoffs.Length];
                double mrr = 0;
                var clock = Stopwatch.StartNew();
                foreach (var q in qs)
                {
                    ct.ThrowIfCancellationRequested();
                    var relevant = q.CitedDois.Select(d => idByDoi.TryGetValue(d, out var id) ? id : -1).Where(id => id >= 0).ToHashSet();
                    if (relevant.Count == 0) continue;
                    var exclude = q.CitingDoi is { } c && idByDoi.TryGetValue(c, out var citing) ? new HashSet<long> { citing } : null;
                    var ranked = search.Search(q.Text, options with { Mode = mode, Exclude = exclude }).Select(h => h.Paper.Id).ToList();
                    for (int i = 0; i < RecallCutoffs.Length; i++)
                        recall[i] += ranked.Take(RecallCutoffs[i]).Count(relevant.Contains) / (double)relevant.Count;
                    int first = ranked.FindIndex(relevant.Contains);
                    if (first >= 0) mrr += 1.0 / (first + 1);
                }
                string name = mode switch { SearchMode.Lexical => "BM25 (FTS5)", SearchMode.Dense => "dense (cosine)", _ => "hybrid (RRF)" };
                Console.Out.WriteLine($"| {name} | " + string.Join(" | ", recall.Select(r => (r / qs.Count).ToString("F3"))) +
                    $" | {mrr / qs.Count:F3} | {clock.Elapsed.TotalMilliseconds / qs.Count:F1} |");
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static List<EvalQuery> ReadQueries(string path, string field)
    {
        if (!File.Exists(path)) throw new CliException($"{path}: no such file");
        var result = new List<EvalQuery>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                string text = root.GetProperty(field).GetString() ?? "";
                var cited = root.GetProperty("cited_dois").EnumerateArray().Select(e => e.GetString()!).ToArray();
                string? citing = root.TryGetProperty("citing_doi", out var c) ? c.GetString() : null;
                string id = root.TryGetProperty("qid", out var q) ? q.GetString() ?? $"{lineNumber}" : $"{lineNumber}";
                result.Add(new EvalQuery(id, text, citing, cited));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                Log.Warning("{File}:{Line}: skipped query ({Reason})", path, lineNumber, e.Message);
            }
        }
        if (result.Count == 0) throw new CliException($"{path}: no usable queries");
        return result;
    }

    /// <summary>The cited papers plus a fixed random sample of the others.</summary>
    private static IReadOnlyList<Paper> Subset(IReadOnlyList<Paper> papers, HashSet<string> cited, int distractors, int seed)
    {
        bool IsCited(Paper p) => (p.Doi is { } d && cited.Contains(d)) || cited.Contains(p.Key);
        var keep = papers.Where(IsCited).ToList();
        var others = papers.Where(p => !IsCited(p)).OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(others);
        keep.AddRange(others.Take(distractors));
        return keep;
    }
}
