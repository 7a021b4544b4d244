using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Features;
using PaperLens.Features.Bib;
using PaperLens.Features.Ranking;
using PaperLens.Index;
using PaperLens.Server.Lsp.Protocol;
using PaperLens.Sources;
using PaperLens.Tests;
using PaperLens.Tests.Lsp;

namespace PaperLens.Benchmarks;

/// <summary>
/// Completion latency through an in-process LSP client with the real model, on corpora of N real ACM-CR records.
/// Paper vectors are random unit vectors (embedding 100k abstracts takes hours on 2 cores); exact search costs the same
/// whatever the values. The context (query) embedding uses the real model and is reported separately.
/// </summary>
public static class CompletionBenchmark
{
    private static readonly string[] Prefixes = ["", "a", "s", "ch", "w", "2", "l", "m", "co", "d"];

    public static int Run(string[] args)
    {
        var sizes = Option(args, "--sizes", "10000,100000").Split(',').Select(int.Parse).ToArray();
        int paragraphs = int.Parse(Option(args, "--paragraphs", "20"));
        int repeats = int.Parse(Option(args, "--repeats", "20"));
        string acm = Option(args, "--acm", "/tmp/acm/data/acm-dl");
        if (!Directory.Exists(acm)) { Console.Error.WriteLine($"ACM-CR bib folder not found: {acm} (tar xzf acm-cr-collection.tar.gz -C /tmp/acm)"); return 2; }
        string queries = SharedData.Find("acm-cr/queries.jsonl") ?? throw new InvalidOperationException("queries.jsonl not found");
        int wordMs = int.Parse(Option(args, "--word-ms", "150")), keyMs = int.Parse(Option(args, "--key-ms", "80"));
        // --warmup N: N more paragraphs, pasted and completed first and not counted (JIT, first ONNX run, cold caches), as `serve` does.
        int warmup = int.Parse(Option(args, "--warmup", "0"));
        CitationRanker.Depth = int.Parse(Option(args, "--depth", CitationRanker.DefaultDepth.ToString())); // candidates per list, as eval-editor --depth
        var allContexts = File.ReadLines(queries).Take(2 * paragraphs + warmup).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("context").GetString()!).ToList();
        var warmupContexts = allContexts.Skip(2 * paragraphs).ToList();
        var contexts = allContexts.Take(paragraphs).ToList();
        int typedCount = int.Parse(Option(args, "--typed", paragraphs.ToString()));
        var typedContexts = allContexts.Skip(paragraphs).Take(Math.Min(typedCount, paragraphs)).ToList(); // other paragraphs: nothing of theirs is cached

        if (!EmbedderFactory.TryCreate(null, out var embedder, out var error)) { Console.Error.WriteLine(error); return 2; }
        Console.Error.WriteLine("reading ACM-CR…");
        var all = SourceLoader.LoadAll([acm], _ => { }).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();

        var rows = new List<string>();
        var stageRows = new List<string>();
        var embedTimes = contexts.Select(c => Time(() => embedder.EmbedQuery(c))).ToList();
        foreach (int size in sizes)
        {
            var root = Path.Combine(Path.GetTempPath(), "paperlens-bench", size.ToString());
            var (bib, index) = Prepare(root, all.Take(size).ToList(), embedder);
            if (Option(args, "--stages", "on") == "only") // the stage table alone (no LSP client)
            {
                stageRows.AddRange(Stages(index, embedder, contexts).Select(s => $"| {size:N0} | {s.Stage} | {P(s.Ms, 50):F1} | {P(s.Ms, 95):F1} | {P(s.Ms, 99):F1} | {P(s.Cpu, 50):F1} / {P(s.Cpu, 99):F1} |"));
                continue;
            }
            var fixture = Fixture.Parse("%! paper.tex\n\\documentclass{article}\n\nplaceholder \\cite{|}\n\n\\end{document}");
            var client = LspTestClient.InProcess(fixture, new SharedEmbedder(embedder));
            try
            {
                client.InitializeAsync(new { corpus = new { paths = new[] { bib } }, index = new { path = index } }).GetAwaiter().GetResult();
                client.OpenAsync("paper.tex").GetAwaiter().GetResult();
                if (warmupContexts.Count > 0) Measure(client, warmupContexts, repeats);
                var (warm, cold, warmCpu, coldCpu) = Measure(client, contexts, repeats);
                var typed = MeasureTyped(client, typedContexts, wordMs, keyMs);
                rows.Add($"| {size:N0} | {warm.Count} | {P(warm, 50):F1} | {P(warm, 95):F1} | {P(warm, 99):F1} | {P(typed, 50):F1} | {P(typed, 95):F1} | {P(typed, 99):F1} "
                    + $"| {P(cold, 50):F1} | {P(cold, 95):F1} | {P(cold, 99):F1} | {P(warmCpu, 50):F1} / {P(warmCpu, 99):F1} | {P(coldCpu, 50):F1} / {P(coldCpu, 99):F1} |");
            }
            finally { client.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
            if (Option(args, "--stages", "on") != "off") stageRows.AddRange(Stages(index, embedder, contexts).Select(s => $"| {size:N0} | {s.Stage} | {P(s.Ms, 50):F1} | {P(s.Ms, 95):F1} | {P(s.Ms, 99):F1} | {P(s.Cpu, 50):F1} / {P(s.Cpu, 99):F1} |"));
        }

        Console.WriteLine($"Completion latency, in-process LSP client, real model for the context ({paragraphs} ACM-CR contexts × {Math.Min(repeats, Prefixes.Length)} typed prefixes"
            + (warmup > 0 ? $"; {warmup} more pasted first, not counted)." : "; the first pasted paragraph pays the JIT and cold caches)."));
        Console.WriteLine($"Context embedding alone (first completion in a paragraph pays it): p50 {P(embedTimes, 50):F1} ms, p95 {P(embedTimes, 95):F1} ms over {embedTimes.Count} paragraphs.");
        Console.WriteLine();
        Console.WriteLine($"Load average at the end: {LoadAverage()}. CPU ms: the process's CPU time per request (all threads), less sensitive to a busy machine than wall time.");
        Console.WriteLine();
        Console.WriteLine($"First in paragraph, typed: {typedContexts.Count} other contexts typed as a new paragraph, a word every {wordMs} ms, then ` \\cite{{` a key every {keyMs} ms, "
            + "completion right after `{` (the background ranker has had the pause a writer takes to type the command). Pasted: the paragraph and `\\cite{` arrive in one change "
            + "and completion asks at once, so nothing is ranked ahead (the uncached cost).");
        Console.WriteLine();
        Console.WriteLine("| papers | requests | p50 ms (context cached) | p95 ms | p99 ms | first in paragraph, typed, p50 ms | p95 | p99 | first, pasted, p50 ms | p95 | p99 | cached CPU ms p50 / p99 | first pasted CPU ms p50 / p99 |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("Where an uncached first completion spends its time: each stage of CitationRanker.Rank timed alone, in-process, on the same contexts "
            + "(the paragraph less its last word prefetched, then its last word, then the catalog's lists; then each stage alone on its own connection, FTS5's OR queries as before the per-term cache; document frequencies cached across paragraphs as the server caches them).");
        Console.WriteLine();
        Console.WriteLine("| papers | stage | p50 ms | p95 ms | p99 ms | CPU ms p50 / p99 |");
        Console.WriteLine("|---|---|---|---|---|---|");
        stageRows.ForEach(Console.WriteLine);
        embedder.Dispose();
        return 0;
    }

    /// <summary>For each context: the first completion in its paragraph (cold), then one per typed prefix (warm), in ms.</summary>
    /// <summary>Wall and CPU milliseconds of the first completion after `\cite{` (cold) and of the ones after each typed letter (warm).</summary>
    internal static (List<double> Warm, List<double> Cold, List<double> WarmCpu, List<double> ColdCpu) Measure(LspTestClient client, IReadOnlyList<string> contexts, int repeats)
    {
        var cold = new List<double>();
        var warm = new List<double>();
        var coldCpu = new List<double>();
        var warmCpu = new List<double>();
        int version = 2;
        foreach (var context in contexts)
        {
            var text = $"\\documentclass{{article}}\n\n{context} \\cite{{";
            foreach (var (prefix, i) in Prefixes.Take(repeats).Select((p, i) => (p, i)).Prepend(("", -1)))
            {
                var full = text + prefix;
                client.Notify("textDocument/didChange", new
                {
                    textDocument = new { uri = client.Uri("paper.tex"), version = version++ },
                    contentChanges = new[] { new { text = full } },
                }).GetAwaiter().GetResult();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                double ms = Time(() => client.CompleteAsync(Fixture.Parse("%! paper.tex\n" + full + "|")).GetAwaiter().GetResult());
                (i < 0 ? cold : warm).Add(ms);
                (i < 0 ? coldCpu : warmCpu).Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
            }
        }
        return (warm, cold, warmCpu, coldCpu);
    }

    /// <summary>
    /// Per-stage milliseconds of ranking each context's first completion: the catalog's lists cold (what completion waits for
    /// when nothing is cached), the features and score with those lists cached, and each list's parts alone.
    /// </summary>
    internal static List<(string Stage, List<double> Ms, List<double> Cpu)> Stages(string index, IEmbedder embedder, IReadOnlyList<string> contexts)
    {
        var stages = new List<(string Stage, List<double> Ms, List<double> Cpu)>();
        using var catalog = new PaperCatalog(PaperStore.Open(index, verify: false), new SharedEmbedder(embedder));
        using var cold = new PaperCatalog(PaperStore.Open(index, verify: false), new SharedEmbedder(embedder));
        using var store = PaperStore.Open(index, verify: false);
        var vectors = store.LoadVectors(embedder.ModelId, embedder.Dimensions);
        var statistics = new TermScoreCache();
        statistics.LoadStatistics(store);
        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        int version = 1;
        foreach (var context in contexts)
        {
            var draft = new DraftDocument("/bench/paper.tex", $"\\documentclass{{article}}\n\n{context} \\cite{{", version++);
            var snapshot = new WorkspaceSnapshot { Catalog = catalog, Drafts = ImmutableDictionary.Create<string, DraftDocument>(WorkspaceSnapshot.PathComparer).Add(draft.Path, draft) };
            CitationQuery q = null!;
            Stage("query (CitationQuery.At)", () => q = CitationQuery.At(draft, draft.Lines.End));
            var queries = CitationRanker.Queries(q, RankingWeights.Default);
            // As typed: the paragraph less its last word was read ahead (CitationRanker.Prefetch) before its last word came.
            var words = context.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var shorter = new DraftDocument(draft.Path, $"\\documentclass{{article}}\n\n{string.Join(' ', words[..^1])}", version++);
            Stage("catalog lists, cold (no prefetch)", () => cold.Signals(queries, CitationRanker.Depth, []));
            Stage("prefetch, cold (paragraph less its last word)", () => CitationRanker.Prefetch(snapshot with { Drafts = snapshot.Drafts.SetItem(draft.Path, shorter) }, CitationQuery.At(shorter, shorter.Lines.End)));
            Stage("prefetch of the last word", () => CitationRanker.Prefetch(snapshot, q));
            Stage("catalog lists after prefetch (embed, scan, sum)", () => catalog.Signals(queries, CitationRanker.Depth, []));
            Stage("features + score (lists cached)", () => CitationRanker.Rank(snapshot, q, []));
            Stage("  lexical: document frequencies of new terms", () =>
            {
                foreach (var (term, n) in store.DocumentFrequencies(LexicalQuery.Terms(q.Sentence + " " + q.Paragraph).Where(t => !frequencies.ContainsKey(t)).ToList()))
                    frequencies[term] = n;
            });
            var paragraphTerms = LexicalQuery.RarestTerms(q.Paragraph, q.Sentence, frequencies, PaperCatalog.MaxTerms, PaperCatalog.MaxFocusTerms, PaperCatalog.PostingBudget);
            var sentenceTerms = LexicalQuery.RarestTerms(q.Sentence, null, frequencies, PaperCatalog.MaxTerms, PaperCatalog.MaxFocusTerms, PaperCatalog.PostingBudget);
            Stage("  lexical: paragraph BM25 top 200 (one FTS5 OR query)", () => store.LexicalSearch(LexicalQuery.Expression(paragraphTerms), CitationRanker.Depth));
            Stage("  lexical: sentence title + abstract BM25 (one FTS5 OR query)", () => store.LexicalScores(LexicalQuery.Expression(sentenceTerms, "title abstract"), [1, 0, 0], [0, 0, 1]));
            // The same two lists summed per term from postings and FTS5's statistics (TermScoreCache), no term cached.
            Stage("  lexical: paragraph BM25 top 200, per term from postings", () => new TermScoreCache().Seeded(statistics).Top(store, paragraphTerms, CitationRanker.Depth));
            Stage("  lexical: sentence title + abstract BM25, per term from postings", () => new TermScoreCache().Seeded(statistics).Scores(store, sentenceTerms, "title abstract", [1, 0, 0], [0, 0, 1]));
            float[] sentence = [], paragraph = [];
            Stage("  embed sentence", () => sentence = embedder.EmbedQuery(q.Sentence));
            Stage("  embed paragraph", () => paragraph = embedder.EmbedQuery(q.Paragraph));
            Stage("  dense scan sentence (top 200)", () => vectors.Search(sentence, CitationRanker.Depth));
            Stage("  dense scan paragraph (top 200)", () => vectors.Search(paragraph, CitationRanker.Depth));
            Stage("  dense scan sentence and paragraph in one pass (top 200 each, as a ranking scans)", () => vectors.Search([sentence, paragraph], CitationRanker.Depth));
        }
        return stages;

        void Stage(string name, Action action)
        {
            int i = stages.FindIndex(s => s.Stage == name);
            if (i < 0) { stages.Add((name, [], [])); i = stages.Count - 1; }
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            stages[i].Ms.Add(Time(action));
            stages[i].Cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
        }
    }

    /// <summary>Milliseconds of the first completion in each context typed as a new paragraph, word by word, then ` \cite{` key by key.</summary>
    internal static List<double> MeasureTyped(LspTestClient client, IReadOnlyList<string> contexts, int wordMs, int keyMs)
    {
        var first = new List<double>();
        int version = 100_000;
        foreach (var context in contexts)
        {
            var text = "\\documentclass{article}\n\n";
            void Type(string typed, int pauseMs)
            {
                text += typed;
                client.Notify("textDocument/didChange", new
                {
                    textDocument = new { uri = client.Uri("paper.tex"), version = version++ },
                    contentChanges = new[] { new { text } },
                }).GetAwaiter().GetResult();
                Thread.Sleep(pauseMs);
            }
            foreach (var (word, w) in context.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select((word, w) => (word, w))) Type(w == 0 ? word : " " + word, wordMs);
            foreach (var key in new[] { " ", "\\", "c", "i", "t", "e" }) Type(key, keyMs);
            Type("{", 0);
            first.Add(Time(() => client.CompleteAsync(Fixture.Parse("%! paper.tex\n" + text + "|")).GetAwaiter().GetResult()));
        }
        return first;
    }

    /// <summary>Writes the papers as one .bib, indexes it and fills random unit vectors, so the server finds nothing to do.</summary>
    internal static (string Bib, string Index) Prepare(string root, List<Paper> papers, IEmbedder embedder)
    {
        Directory.CreateDirectory(root);
        string bib = Path.Combine(root, "corpus.bib"), index = Path.Combine(root, "index.db");
        if (!File.Exists(bib))
        {
            var sb = new StringBuilder();
            foreach (var p in papers) sb.Append(BibEntryWriter.Format(p, BibKeys.Sanitize(p.Key))).Append('\n');
            File.WriteAllText(bib, sb.ToString());
        }
        using var store = PaperStore.Open(index);
        new Indexer(store).Sync([bib], _ => { });
        var pending = store.PendingEmbeddings(embedder.ModelId);
        var random = new Random(1);
        for (int i = 0; i < pending.Count; i += 5000)
            store.SaveEmbeddings(embedder.ModelId, pending.Skip(i).Take(5000).Select(t => (t.TextHash, RandomUnit(random, embedder.Dimensions))));
        Console.Error.WriteLine($"{papers.Count} papers ready in {index}");
        return (bib, index);
    }

    private static float[] RandomUnit(Random random, int dims)
    {
        var v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) { v[i] = (float)(random.NextDouble() * 2 - 1); norm += v[i] * v[i]; }
        for (int i = 0; i < dims; i++) v[i] /= (float)Math.Sqrt(norm);
        return v;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    internal static double P(List<double> values, int percentile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    internal static string Option(string[] args, string name, string fallback) => BenchmarkArgs.Option(args, name) ?? fallback;

    /// <summary>Lends the benchmark's embedder to the server without letting the server dispose it.</summary>
    internal sealed class SharedEmbedder(IEmbedder inner) : IEmbedder
    {
        public string ModelId => inner.ModelId;
        public int Dimensions => inner.Dimensions;
        public float[] EmbedQuery(string text) => inner.EmbedQuery(text);
        public float[] EmbedDocument(string text) => inner.EmbedDocument(text);
        public void Dispose() { }
    }
}
