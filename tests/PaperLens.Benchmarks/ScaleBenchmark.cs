using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Features.Ranking;
using PaperLens.Index;
using PaperLens.Sources;
using PaperLens.Tests;
using PaperLens.Tests.Lsp;
using static PaperLens.Benchmarks.BenchmarkArgs;

namespace PaperLens.Benchmarks;

/// <summary>
/// `scale-corpus`: writes an N-record corpus in the arXiv metadata snapshot's JSONL format from the ACM-CR records.
/// `scale`: the 1M-paper targets on it: lexical indexing time and RSS, index size with vectors, vector load, and a fresh
/// server process (in-process LSP client) timed from start to its first answer with full vectors, its peak RSS and
/// completion latency. Paper vectors are synthetic: real ACM-CR embeddings (vector-recall's cache), each copy perturbed.
/// </summary>
internal static class ScaleBenchmark
{
    /// <summary>`scale-corpus [--records N] [--out FILE] [--acm DIR]`.</summary>
    public static int Corpus(string[] args)
    {
        int records = int.Parse(Option(args, "--records") ?? "1000000");
        string acm = Option(args, "--acm") ?? "/tmp/acm/data/acm-dl";
        string output = Option(args, "--out") ?? DefaultCorpus(records);
        if (!Directory.Exists(acm)) return Fail($"ACM-CR not found at {acm}: extract acm-cr-collection.tar.gz (see README)");
        var clock = Stopwatch.StartNew();
        WriteCorpus(LoadAcm(acm), records, output);
        Console.WriteLine($"{records:N0} records, {new FileInfo(output).Length / 1048576.0:F0} MiB, in {clock.Elapsed.TotalSeconds:F0} s: {output}");
        return 0;
    }

    /// <summary>`scale [--records N] [--work DIR] [--acm DIR] [--vectors FILE] [--paragraphs N] [--reuse]`.</summary>
    public static int Run(string[] args)
    {
        int records = int.Parse(Option(args, "--records") ?? "1000000");
        string acm = Option(args, "--acm") ?? "/tmp/acm/data/acm-dl";
        string work = Option(args, "--work") ?? Path.Combine(Path.GetTempPath(), "paperlens-scale");
        int paragraphs = int.Parse(Option(args, "--paragraphs") ?? "20");
        Directory.CreateDirectory(work);
        if (!EmbedderFactory.TryCreate(null, out var embedder, out var error)) return Fail(error);
        string model = embedder.ModelId;
        int dims = embedder.Dimensions;
        embedder.Dispose();
        string realVectors = Option(args, "--vectors") ?? Path.Combine(Path.GetTempPath(), "paperlens-recall", model.Replace('@', '-') + "-docs.f32");
        if (!File.Exists(realVectors)) return Fail($"no real embeddings at {realVectors}: run `vector-recall --acm 2000` first (it caches them)");
        var rows = new List<(string Figure, string Value, string Target)>();

        string jsonl = Path.Combine(work, $"arxiv-{records}.jsonl");
        var clock = Stopwatch.StartNew();
        if (!File.Exists(jsonl))
        {
            if (!Directory.Exists(acm)) return Fail($"ACM-CR not found at {acm}: extract acm-cr-collection.tar.gz (see README)");
            WriteCorpus(LoadAcm(acm), records, jsonl);
            rows.Add(($"generate {records:N0} arXiv JSONL records ({new FileInfo(jsonl).Length / 1048576.0:F0} MiB)", $"{clock.Elapsed.TotalSeconds:F0} s", ""));
        }

        string index = Path.Combine(work, $"arxiv-{records}.db");
        if (!(args.Contains("--reuse") && File.Exists(index)))
        {
            PaperStore.Delete(index);
            using (var peak = new PeakWorkingSet())
            using (var store = PaperStore.Open(index))
            {
                clock.Restart();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var gc = IndexBenchmark.GcCounts();
                var sync = new Indexer(store).Sync([jsonl], _ => { });
                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                string gcPauses = IndexBenchmark.GcSince(gc);
                rows.Add(($"lexical indexing of {sync.Papers:N0} JSONL records (stages: `index --jsonl`)", $"{clock.Elapsed.TotalSeconds:F0} s, CPU {cpu.TotalSeconds:F0} s, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]} ({string.Join(", ", sync.Stages.Select(s => $"{s.Stage} {s.Elapsed.TotalSeconds:F0} s"))})", "≤ 180 s"));
                rows.Add(("  of which GC pauses (gen0 / gen1 / gen2 collections)", gcPauses, ""));
                rows.Add(("peak RSS while indexing", $"{peak.Bytes / 1048576.0:F0} MiB", ""));
            }
            Checkpoint(index);
            rows.Add(("index size, no vectors", $"{FileBytes(index) / 1048576.0:F0} MiB", ""));
            clock.Restart();
            int stored = SaveSyntheticVectors(index, model, dims, realVectors);
            Checkpoint(index);
            rows.Add(($"store {stored:N0} synthetic vectors", $"{clock.Elapsed.TotalSeconds:F0} s", ""));
        }
        rows.Add(("index size with vectors", $"{FileBytes(index) / 1048576.0:F0} MiB", "≤ 3,072 MiB"));

        GC.Collect();
        long managed = GC.GetTotalMemory(true);
        clock.Restart();
        int embedded;
        using (var reader = PaperStore.Open(index, verify: false))
        {
            var keys = reader.LoadKeys();
            rows.Add(($"load {keys.Count:N0} keys (PaperStore.LoadKeys)", $"{clock.Elapsed.TotalSeconds:F1} s", ""));
            Console.Error.WriteLine(rows[^1]);
            keys = null;
            clock.Restart();
            var vectors = reader.LoadVectors(model, dims);
            embedded = vectors.Count;
            rows.Add(($"load {vectors.Count:N0} vectors (PaperStore.LoadVectors)", $"{clock.Elapsed.TotalSeconds:F1} s, {(GC.GetTotalMemory(false) - managed) / 1048576.0:F0} MiB managed", ""));
            Console.Error.WriteLine(rows[^1]);
            string graphPath = VectorGraph.PathFor(index, model);
            // As the server: a graph only from VectorGraph.Threshold vectors on; below it the dense search scans.
            VectorGraph? graph = null;
            if (vectors.Count < VectorGraph.Threshold)
            {
                VectorGraph.Delete(graphPath); // an earlier run's, on other code
                rows.Add(($"HNSW graph: none below {VectorGraph.Threshold:N0} vectors (the server scans)", "", ""));
            }
            else
            {
                graph = VectorGraph.Open(graphPath, dims);
                if (graph is not null) vectors.AttachGraph(graph);
                if (graph is null || vectors.RowsOutsideGraph > 0)
                {
                    clock.Restart();
                    graph?.Dispose();
                    graph = VectorGraph.Build(vectors, graphPath);
                    rows.Add(($"build the HNSW graph ({Environment.ProcessorCount} threads; at index time)", graph is null ? "native library missing" : $"{clock.Elapsed.TotalSeconds:F0} s", ""));
                }
            }
            long graphBytes = 0, manifestBytes = 0;
            if (graph is not null)
            {
                (graphBytes, manifestBytes) = (new FileInfo(graphPath).Length, new FileInfo(graphPath + ".rows").Length);
                rows.Add(("graph file beside the index (+ manifest)", $"{graphBytes / 1048576.0:F0} MiB + {manifestBytes / 1048576.0:F0} MiB", ""));
            }
            rows.Add(("index on disk: SQLite file + graph + manifest", $"{(FileBytes(index) + graphBytes + manifestBytes) / 1048576.0:F0} MiB", "≤ 3,072 MiB"));
            rows.AddRange(DenseLatency(vectors, graph, paragraphs));
            graph?.Dispose();
        }

        rows.AddRange(ServeInChild(index, jsonl, paragraphs, embedded));

        Console.WriteLine($"{Environment.ProcessorCount} logical CPUs, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; vectors: real ACM-CR embeddings from {Path.GetFileName(realVectors)}, perturbed per copy");
        Console.WriteLine("| figure | value | target |");
        Console.WriteLine("|---|---|---|");
        foreach (var (figure, value, target) in rows) Console.WriteLine($"| {figure} | {value} | {target} |");
        return 0;
    }

    /// <summary>
    /// Dense top-200 for the ACM-CR contexts of the first paragraphs (real query embeddings), by the int8 scan and by the
    /// graph: the dense share of a first completion in a paragraph.
    /// </summary>
    private static IEnumerable<(string, string, string)> DenseLatency(VectorIndex vectors, VectorGraph? graph, int paragraphs)
    {
        if (!EmbedderFactory.TryCreate(null, out var embedder, out _)) yield break;
        List<float[]> queries;
        using (embedder) queries = Contexts(paragraphs).Select(embedder.EmbedQuery).ToList();
        string Time()
        {
            vectors.Search(queries[0], 200);
            var times = queries.Select(q => { var c = Stopwatch.StartNew(); vectors.Search(q, 200); return c.Elapsed.TotalMilliseconds; }).Order().ToList();
            return $"{times[times.Count / 2]:F1} / {times[^1]:F1} ms";
        }
        vectors.AttachGraph(null);
        yield return ($"dense top-200, int8 scan + rescoring, p50 / max over {queries.Count} contexts", Time(), "");
        if (graph is null) yield break;
        vectors.AttachGraph(graph);
        yield return ($"dense top-200, HNSW graph + rescoring, p50 / max over {queries.Count} contexts", Time(), "");
    }

    private static List<string> Contexts(int count)
    {
        string queries = SharedData.Find("acm-cr/queries.jsonl") ?? throw new InvalidOperationException("queries.jsonl not found (set PAPERLENS_SHARED)");
        return File.ReadLines(queries).Take(count).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("context").GetString()!).ToList();
    }

    /// <summary>Runs `scale-serve` in a fresh process, so that its RSS is the server's alone.</summary>
    private static IEnumerable<(string, string, string)> ServeInChild(string index, string corpus, int paragraphs, int embedded)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(ScaleBenchmark).Assembly.Location);
        foreach (var a in new[] { "scale-serve", "--index", index, "--corpus", corpus, "--paragraphs", paragraphs.ToString(), "--embedded", embedded.ToString() }) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var lines = new List<string>();
        while (child.StandardOutput.ReadLine() is { } line) lines.Add(line);
        child.WaitForExit();
        foreach (var line in lines)
            if (line.Split('\t') is [var figure, var value, var target]) yield return (figure, value, target);
    }

    /// <summary>
    /// `scale-serve --index I --corpus C [--paragraphs N] [--typed N] [--embedded N] [--stages on]`: one server start, measured; rows on stdout,
    /// tab-separated. The first completion is asked for as soon as the status shows all N vectors loaded, before the
    /// indexing pass has checked the sources. Then completions: N pasted paragraphs at once after the indexing pass (while
    /// the lexical statistics may still be read), N more once they are read, and N typed ones (the background ranker's case).
    /// </summary>
    public static int Serve(string[] args)
    {
        var clock = Stopwatch.StartNew();
        // The runtime's own start (process creation to Main) is before the clock: said apart, not hidden.
        Row("process start → Main (runtime start-up, before the clock)", $"{(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds:F2} s", "");
        string index = Option(args, "--index")!, corpus = Option(args, "--corpus")!;
        int paragraphs = int.Parse(Option(args, "--paragraphs") ?? "20");
        long embedded = long.Parse(Option(args, "--embedded") ?? "1");
        CitationRanker.Depth = int.Parse(Option(args, "--depth") ?? CitationRanker.DefaultDepth.ToString()); // candidates per list, as eval-editor --depth
        if (!EmbedderFactory.TryCreate(null, out var embedder, out var error)) return Fail(error);
        Row("server start → embedding model loaded", $"{clock.Elapsed.TotalSeconds:F1} s", "");
        int typedCount = int.Parse(Option(args, "--typed") ?? paragraphs.ToString());
        // Three sets of contexts, none sharing a paragraph (so nothing of one is cached for another): pasted at once after
        // the indexing pass, pasted once the lexical statistics are read, typed.
        var all = Contexts(2 * paragraphs + typedCount);
        var (contexts, afterStatistics, typedContexts) = (all[..paragraphs], all[paragraphs..(2 * paragraphs)], all[(2 * paragraphs)..]);
        var fixture = Fixture.Parse("%! paper.tex\n\\documentclass{article}\n\nplaceholder \\cite{|}\n\n\\end{document}");
        var client = LspTestClient.InProcess(fixture, new CompletionBenchmark.SharedEmbedder(embedder));
        try
        {
            client.InitializeAsync(new { corpus = new { paths = new[] { corpus } }, index = new { path = index } }, waitForIndex: false).GetAwaiter().GetResult();
            Row("server start → initialize answered", $"{clock.Elapsed.TotalSeconds:F2} s", "");
            PaperLens.Server.Lsp.Protocol.IndexStatusResult status;
            while (true)
            {
                status = client.Request<PaperLens.Server.Lsp.Protocol.IndexStatusResult>(PaperLens.Server.Lsp.Protocol.PaperLensMethods.IndexStatus, new { }).GetAwaiter().GetResult();
                if (status.Embedded >= embedded || status.State is "error" || (status.State is "idle" && clock.Elapsed.TotalSeconds > 600)) break;
                Thread.Sleep(20);
            }
            var opened = clock.Elapsed;
            Row("server start → catalog open with every vector", $"{opened.TotalSeconds:F2} s, {Cpu()} ({status.Papers:N0} papers, {status.Embedded:N0} embedded, state {status.State})", "");
            var printed = client.Server!.Workspace.Snapshot.Catalog.LoadStages;
            foreach (var (stage, at) in printed)
                Row($"  catalog load: {stage} done, from the load's start", $"{at.TotalSeconds:F2} s", "");
            client.OpenAsync("paper.tex").GetAwaiter().GetResult();
            var asked = clock.Elapsed;
            var first = client.CompleteAsync(fixture).GetAwaiter().GetResult(); // the opened document, cursor in its \cite{}
            Row("  first completion request itself (ranking, JIT of its path)", $"{(clock.Elapsed - asked).TotalSeconds:F2} s", "");
            Row("server start → first completion with full vectors", $"{clock.Elapsed.TotalSeconds:F2} s, {Cpu()} ({first?.Items.Length ?? 0} items)", "≤ 5 s");
            client.WaitForIndexAsync().GetAwaiter().GetResult();
            Row("server start → indexing pass done (sources unchanged, state idle)", $"{clock.Elapsed.TotalSeconds:F1} s", "");
            Row("server RSS after start", $"{Rss("VmRSS") / 1024.0:F0} MiB", "");
            var catalog = client.Server.Workspace.Snapshot.Catalog;
            // Terms scored by FTS5's bm25() (several times the cost of a term scored from its postings) while the statistics are read.
            long ByFts5() => catalog.TermReads - catalog.TermsScoredFromPostings;
            bool statisticsAtStart = catalog.HasLexicalStatistics;
            long fts5Terms = ByFts5();
            var (warm, cold, _, coldCpu) = CompletionBenchmark.Measure(client, contexts, 10);
            fts5Terms = ByFts5() - fts5Terms;
            Row($"completion p50 / p95 / p99, paragraph cached ({warm.Count} requests)", $"{Ms(warm)}", "p99 ≤ 100 ms");
            Row($"completion p50 / p95 / p99, first in a paragraph, pasted, at once after the indexing pass ({cold.Count})",
                $"{Ms(cold)}, CPU p50 / p99 {CompletionBenchmark.P(coldCpu, 50):F0} / {CompletionBenchmark.P(coldCpu, 99):F0} ms (lexical statistics {(statisticsAtStart ? "read" : "not read")} at the first; {fts5Terms} terms scored by FTS5's bm25())", "p99 ≤ 100 ms");
            var waited = Stopwatch.StartNew();
            catalog.StartLexicalStatistics();
            while (!catalog.HasLexicalStatistics && waited.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(10);
            Row("  lexical statistics (TermScoreCache.LoadStatistics) read, waited after those", $"{waited.Elapsed.TotalSeconds:F2} s ({(catalog.HasLexicalStatistics ? "read" : "not read")})", "");
            fts5Terms = ByFts5();
            var (_, pasted, _, pastedCpu) = CompletionBenchmark.Measure(client, afterStatistics, 0);
            fts5Terms = ByFts5() - fts5Terms;
            Row($"completion p50 / p95 / p99, first in a paragraph, pasted, statistics read ({pasted.Count} other paragraphs)",
                $"{Ms(pasted)}, CPU p50 / p99 {CompletionBenchmark.P(pastedCpu, 50):F0} / {CompletionBenchmark.P(pastedCpu, 99):F0} ms ({fts5Terms} terms scored by FTS5's bm25())", "p99 ≤ 100 ms");
            var typed = CompletionBenchmark.MeasureTyped(client, typedContexts, 150, 80);
            Row($"completion p50 / p95 / p99, first in a paragraph, typed (a word every 150 ms, then ` \\cite{{` a key every 80 ms; {typed.Count} other paragraphs)", Ms(typed), "p99 ≤ 100 ms");
            Row("server peak RSS (VmHWM)", $"{Rss("VmHWM") / 1024.0:F0} MiB", "≤ 2,048 MiB");
            // What ended after the catalog served, in the background (the keys, the graph: until then the dense search scans).
            foreach (var (stage, at) in client.Server.Workspace.Snapshot.Catalog.LoadStages.Except(printed))
                Row($"  catalog load, in the background: {stage} done, from the load's start", $"{at.TotalSeconds:F2} s", "");
            // --stages on: where an uncached first completion spends its time at this size (the completion benchmark's stage table).
            if (Option(args, "--stages") == "on")
                foreach (var (stage, ms, cpu) in CompletionBenchmark.Stages(index, embedder, afterStatistics))
                    Row($"  stage: {stage.Trim()}, p50 / p95 / p99", $"{Ms(ms)}, CPU p50 / p99 {CompletionBenchmark.P(cpu, 50):F0} / {CompletionBenchmark.P(cpu, 99):F0} ms", "");
        }
        finally
        {
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            embedder.Dispose();
        }
        return 0;
    }

    /// <summary>
    /// `scale-migrate [--index FILE] [--work DIR]`: the schema 5 → 6 migration on a copy of a schema-6 index written back to
    /// schema 5 (hashes as hex text, each vector row naming its model, no models table), timed as the next writer's open
    /// runs it: the copies of the papers and vectors, the text-hash index, then VACUUM.
    /// </summary>
    public static int Migrate(string[] args)
    {
        string index = Option(args, "--index") ?? Path.Combine(Path.GetTempPath(), "paperlens-scale", "arxiv-1000000.db");
        string work = Option(args, "--work") ?? Path.GetDirectoryName(Path.GetFullPath(index))!;
        if (!File.Exists(index)) return Fail($"no index at {index} (run `scale` first)");
        string v5 = Path.Combine(work, Path.GetFileNameWithoutExtension(index) + ".schema5.db");
        PaperStore.Delete(v5);
        var rows = new List<(string, string, string)>();
        var clock = Stopwatch.StartNew();
        Checkpoint(index);
        File.Copy(index, v5);
        using (var db = new SqliteConnection($"Data Source={v5};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandTimeout = 0;
            cmd.CommandText = "SELECT value FROM meta WHERE name='schema_version'";
            if (cmd.ExecuteScalar() as string != "6") return Fail($"{index} is not a schema-6 index");
            cmd.CommandText = """
                BEGIN;
                CREATE TABLE papers_5(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, has_source_key INTEGER NOT NULL, title TEXT NOT NULL,
                    authors_json TEXT NOT NULL, authors_text TEXT NOT NULL, year INTEGER, venue TEXT, abstract TEXT, doi TEXT, arxiv_id TEXT,
                    url TEXT, entry_type TEXT NOT NULL, source_file TEXT NOT NULL, source_line INTEGER NOT NULL, content_hash TEXT NOT NULL, text_hash TEXT NOT NULL);
                INSERT INTO papers_5 SELECT id, key, has_source_key, title, authors_json, authors_text, year, venue, abstract, doi, arxiv_id, url,
                    entry_type, source_file, source_line, lower(hex(content_hash)), lower(hex(text_hash)) FROM papers ORDER BY id;
                DROP INDEX IF EXISTS papers_text_hash;
                DROP TABLE papers;
                ALTER TABLE papers_5 RENAME TO papers;
                CREATE INDEX papers_text_hash ON papers(text_hash);
                CREATE TABLE vectors_5(model TEXT NOT NULL, text_hash TEXT NOT NULL, scale REAL NOT NULL, codes BLOB NOT NULL, PRIMARY KEY(model, text_hash)) WITHOUT ROWID;
                INSERT INTO vectors_5 SELECT m.name, lower(hex(v.text_hash)), v.scale, v.codes FROM vectors v JOIN models m ON m.id = v.model_id ORDER BY 1, 2;
                DROP TABLE vectors;
                ALTER TABLE vectors_5 RENAME TO vectors;
                DROP TABLE models;
                UPDATE meta SET value = '5' WHERE name = 'schema_version';
                UPDATE meta SET value = '0' WHERE name = 'open_writers';
                COMMIT;
                PRAGMA journal_mode=DELETE;
                VACUUM;
                PRAGMA journal_mode=WAL;
                """;
            cmd.ExecuteNonQuery();
        }
        long before = FileBytes(v5);
        rows.Add(("make a schema-5 copy of the index (copy, write back, VACUUM; not part of the migration)", $"{clock.Elapsed.TotalSeconds:F0} s, {before / 1048576.0:F0} MiB", ""));
        SqliteConnection.ClearAllPools();
        using (var peak = new PeakWorkingSet())
        {
            clock.Restart();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            long papers;
            using (var store = PaperStore.Open(v5)) papers = store.Stats(null).Papers;
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            rows.Add(($"schema 5 → 6 migration of {papers:N0} papers (PaperStore.Open: copies, text-hash index, VACUUM)", $"{clock.Elapsed.TotalSeconds:F0} s, CPU {cpu.TotalSeconds:F0} s, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}", ""));
            rows.Add(("peak RSS while migrating", $"{peak.Bytes / 1048576.0:F0} MiB", ""));
        }
        rows.Add(("index size: schema 5 → 6", $"{before / 1048576.0:F0} MiB → {CheckpointedBytes(v5) / 1048576.0:F0} MiB", ""));
        PaperStore.Delete(v5);
        Console.WriteLine("| figure | value | target |");
        Console.WriteLine("|---|---|---|");
        foreach (var (figure, value, target) in rows) Console.WriteLine($"| {figure} | {value} | {target} |");
        return 0;
    }

    private static string Ms(List<double> ms) => $"{CompletionBenchmark.P(ms, 50):F0} / {CompletionBenchmark.P(ms, 95):F0} / {CompletionBenchmark.P(ms, 99):F0} ms";

    /// <summary>The process's CPU time so far (every thread) and the load average: on a busy machine the wall time says more about the others.</summary>
    private static string Cpu() =>
        $"CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}";

    private static void Row(string figure, string value, string target)
    {
        Console.WriteLine($"{figure}\t{value}\t{target}");
        Console.Error.WriteLine($"{figure}: {value}");
    }

    /// <summary>A /proc/self/status field in KiB.</summary>
    private static long Rss(string field) =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field + ":")).Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])).FirstOrDefault();

    /// <summary>
    /// A vector for every paper: a real ACM-CR embedding (cycled) plus Gaussian noise of norm about 0.35, renormalised
    /// (cosine about 0.94 to its source), so copies of one abstract are near each other but not equal.
    /// </summary>
    private static int SaveSyntheticVectors(string index, string model, int dims, string realVectors)
    {
        var sources = new List<float[]>();
        using (var reader = new BinaryReader(File.OpenRead(realVectors)))
        {
            if (reader.ReadInt32() != dims) throw new InvalidOperationException($"{realVectors} holds vectors of other dimensions");
            while (reader.BaseStream.Position + dims * 4L <= reader.BaseStream.Length)
                sources.Add(Enumerable.Range(0, dims).Select(_ => reader.ReadSingle()).ToArray());
        }
        var random = new Random(17);
        float sigma = 0.35f / MathF.Sqrt(dims);
        float[] Perturbed(int i)
        {
            var v = (float[])sources[i % sources.Count].Clone();
            for (int d = 0; d < dims; d++) v[d] += sigma * Gaussian(random);
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
            for (int d = 0; d < dims; d++) v[d] /= norm;
            return v;
        }
        using var store = PaperStore.Open(index, verify: false);
        var pending = store.PendingEmbeddings(model);
        for (int i = 0; i < pending.Count; i += 20_000)
            store.SaveEmbeddings(model, pending.Skip(i).Take(20_000).Select((p, j) => (p.TextHash, Perturbed(i + j))).ToList());
        return pending.Count;
    }

    private static float Gaussian(Random random) =>
        MathF.Sqrt(-2 * MathF.Log(1 - random.NextSingle())) * MathF.Cos(2 * MathF.PI * random.NextSingle());

    private static List<Paper> LoadAcm(string acm) =>
        SourceLoader.Discover([acm], _ => { }).SelectMany(f => SourceLoader.Read(f, _ => { })).ToList();

    private static string DefaultCorpus(int records) => Path.Combine(Path.GetTempPath(), "paperlens-scale", $"arxiv-{records}.jsonl");

    /// <summary>
    /// arXiv snapshot lines (id, title, abstract, authors, update_date, doi) from ACM-CR records, cycled: copy c of a
    /// record gets a new-style arXiv id, and from the second copy on a title and abstract with a few words added.
    /// </summary>
    internal static void WriteCorpus(List<Paper> source, int count, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var random = new Random(11);
        using (var writer = new StreamWriter(path + ".part"))
            for (int i = 0; i < count; i++)
            {
                var p = source[i % source.Count];
                int copy = i / source.Count;
                var record = new
                {
                    id = $"{2000 + i / 100_000 % 100:0000}.{i % 100_000:00000}",
                    title = copy == 0 ? p.Title : $"{p.Title} ({Perturb(random)} {copy})",
                    @abstract = copy == 0 ? p.Abstract ?? "" : $"{Perturb(random)} {p.Abstract} {Perturb(random)}",
                    authors = string.Join(", ", p.Authors.Select(a => a.ToString())),
                    update_date = $"{p.Year ?? 2020}-01-01",
                    doi = copy == 0 ? p.Doi : null,
                };
                writer.WriteLine(JsonSerializer.Serialize(record));
            }
        File.Move(path + ".part", path, overwrite: true);
    }

    private static readonly string[] Words = ["revisited", "extended", "a study", "in practice", "at scale", "for the web", "new results", "a replication"];

    private static string Perturb(Random random) => Words[random.Next(Words.Length)];

    /// <summary>Moves the WAL into the file, so that the file's size is the index's.</summary>
    private static void Checkpoint(string path)
    {
        SqliteConnection.ClearAllPools();
        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        cmd.ExecuteNonQuery();
    }

    /// <summary>The index file's size once its WAL is checkpointed into it.</summary>
    internal static long CheckpointedBytes(string path)
    {
        Checkpoint(path);
        return FileBytes(path);
    }

    private static long FileBytes(string path) => new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
}
