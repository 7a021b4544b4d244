using System.Diagnostics;
using System.Text.Json;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Index;
using PaperLens.Sources;
using PaperLens.Tests.Embedding;
using static PaperLens.Benchmarks.BenchmarkArgs;

namespace PaperLens.Benchmarks;

/// <summary>
/// `index`: parse time of the ACM-CR .bib files (903 files, 113k records), their lexical indexing and a no-change
/// re-run over them. The 1M-record figures are `scale`'s (<see cref="ScaleBenchmark"/>).
/// `vector-recall`: recall@10 of the int8 vector index against exact fp32 search, on real embeddings of the sample
/// abstracts and an ACM-CR slice, queried with ACM-CR citation contexts.
/// </summary>
internal static class IndexBenchmark
{
    public static int Run(string[] args)
    {
        if (Option(args, "--jsonl") is { } jsonl) return Lexical(jsonl, Option(args, "--work") ?? Path.Combine(Path.GetTempPath(), "paperlens-index-bench"));
        string acm = Option(args, "--acm") ?? "/tmp/acm/data/acm-dl";
        string work = Option(args, "--work") ?? Path.Combine(Path.GetTempPath(), "paperlens-index-bench");
        if (!Directory.Exists(acm)) return Fail($"ACM-CR not found at {acm}: extract acm-cr-collection.tar.gz (see README)");
        Directory.CreateDirectory(work);
        var rows = new List<(string Figure, string Value)>();

        var clock = Stopwatch.StartNew();
        var files = SourceLoader.Discover([acm], _ => { });
        var acmPapers = files.SelectMany(f => SourceLoader.Read(f, _ => { })).ToList();
        rows.Add(($"parse {files.Count} ACM-CR files ({acmPapers.Count:N0} records)", $"{clock.Elapsed.TotalSeconds:F2} s"));

        string acmIndex = Path.Combine(work, "acm.db");
        PaperStore.Delete(acmIndex);
        using (var store = PaperStore.Open(acmIndex))
        {
            var indexer = new Indexer(store);
            clock.Restart();
            var first = indexer.Sync([acm], _ => { });
            rows.Add(($"lexical index of ACM-CR ({first.Papers:N0} papers)", $"{clock.Elapsed.TotalSeconds:F2} s"));
            rows.AddRange(StageRows(first));
            clock.Restart();
            var again = indexer.Sync([acm], _ => { });
            rows.Add(($"no-change re-run over ACM-CR ({again.Unchanged:N0} unchanged)", $"{clock.Elapsed.TotalSeconds:F2} s"));
        }

        PrintTable(rows);
        return 0;
    }

    /// <summary>`index --jsonl FILE [--work DIR]`: a fresh lexical index of one arXiv JSONL file, stage by stage, then a no-change re-run.</summary>
    private static int Lexical(string jsonl, string work)
    {
        if (!File.Exists(jsonl)) return Fail($"no file at {jsonl} (make one with `scale-corpus --records N --out FILE`)");
        Directory.CreateDirectory(work);
        string index = Path.Combine(work, Path.GetFileNameWithoutExtension(jsonl) + ".db");
        PaperStore.Delete(index);
        var rows = new List<(string Figure, string Value)>();
        using (var load = new LoadSampler())
        using (var peak = new PeakWorkingSet())
        using (var store = PaperStore.Open(index))
        {
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var gc = GcCounts();
            var sync = new Indexer(store).Sync([jsonl], _ => { });
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            rows.Add(($"lexical index of {sync.Papers:N0} papers from {Path.GetFileName(jsonl)} ({new FileInfo(jsonl).Length / 1048576.0:F0} MiB)", $"{clock.Elapsed.TotalSeconds:F1} s (CPU {cpu.TotalSeconds:F0} s)"));
            rows.Add(("  of which GC pauses (gen0 / gen1 / gen2 collections)", GcSince(gc)));
            rows.AddRange(StageRows(sync));
            rows.Add(("peak RSS while indexing", $"{peak.Bytes / 1048576.0:F0} MiB"));
            rows.Add(("load average while indexing (1 min, mean of samples / max)", load.Summary()));
            clock.Restart();
            var again = new Indexer(store).Sync([jsonl], _ => { });
            rows.Add(($"no-change re-run ({again.Unchanged:N0} unchanged)", $"{clock.Elapsed.TotalSeconds:F2} s"));
        }
        rows.Add(("index file (WAL checkpointed)", $"{ScaleBenchmark.CheckpointedBytes(index) / 1048576.0:F0} MiB"));
        PrintTable(rows);
        return 0;
    }

    internal static (TimeSpan Pause, int Gen0, int Gen1, int Gen2) GcCounts() =>
        (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    /// <summary>GC pause time and collections since <paramref name="before"/>.</summary>
    internal static string GcSince((TimeSpan Pause, int Gen0, int Gen1, int Gen2) before)
    {
        var now = GcCounts();
        return $"{(now.Pause - before.Pause).TotalSeconds:F1} s ({now.Gen0 - before.Gen0} / {now.Gen1 - before.Gen1} / {now.Gen2 - before.Gen2})";
    }

    internal static IEnumerable<(string, string)> StageRows(SyncResult sync) =>
        sync.Stages.Select(s => ($"  {s.Stage}", $"{s.Elapsed.TotalSeconds:F1} s"));

    private static void PrintTable(List<(string Figure, string Value)> rows)
    {
        Console.WriteLine($"{Environment.ProcessorCount} logical CPUs, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---|");
        foreach (var (figure, value) in rows) Console.WriteLine($"| {figure} | {value} |");
    }

    /// <summary>`vector-recall [--acm N] [--queries N] [--cache DIR] [--index schema-3.db [--limit N]] [--store index.db]`.</summary>
    public static int Recall(string[] args)
    {
        int acmCount = int.Parse(Option(args, "--acm") ?? "2000");
        int queryCount = int.Parse(Option(args, "--queries") ?? "200");
        string cache = Option(args, "--cache") ?? Path.Combine(Path.GetTempPath(), "paperlens-recall");
        var archive = SharedData.Find(AcmAbstracts.ArchivePath);
        var queriesFile = SharedData.Find("acm-cr/queries.jsonl");
        if (archive is null || queriesFile is null) return Fail("shared data (acm-cr) not found");
        if (!EmbedderFactory.TryCreate(null, out var embedder, out var error)) return Fail(error);
        using var _ = embedder;

        Directory.CreateDirectory(cache);
        string model = embedder.ModelId.Replace('@', '-');
        var texts = SampleAbstracts.Load().Concat(AcmAbstracts.Load(archive, acmCount)).ToList();
        var docs = Option(args, "--index") is { } indexPath
            ? StoredVectors(indexPath, embedder.ModelId, Option(args, "--limit") is { } limit ? int.Parse(limit) : int.MaxValue)
            : CachedVectors(Path.Combine(cache, $"{model}-docs.f32"), texts, embedder.EmbedDocuments);
        var contexts = File.ReadLines(queriesFile).Take(queryCount).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("context").GetString()!).ToList();
        var queryVectors = CachedVectors(Path.Combine(cache, $"{model}-queries.f32"), contexts, (batch, _, _) => batch.Select(embedder.EmbedQuery).ToArray());
        if (Option(args, "--store") is { } storePath) return GraphRecall(storePath, embedder, queryVectors);
        string source = Option(args, "--index") is null ? $"real fp32 embeddings ({embedder.ModelId}) of the sample abstracts and ACM-CR abstracts"
            : $"vectors decoded from the schema-3 int8 rows of {Path.GetFileName(Option(args, "--index"))} (real embeddings, rounded once)";
        return RecallTable(source, docs, queryVectors);
    }

    /// <summary>A schema-3 index's vectors for <paramref name="model"/>, decoded (code × scale), read without opening it as an index.</summary>
    private static float[][] StoredVectors(string indexPath, string model, int limit)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={indexPath};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT scale, codes FROM vectors WHERE model=$m AND scale > 0 ORDER BY text_hash LIMIT $n"; // schema 3 zeroed some rows
        cmd.Parameters.AddWithValue("$m", model);
        cmd.Parameters.AddWithValue("$n", limit);
        var vectors = new List<float[]>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            float scale = (float)r.GetDouble(0);
            vectors.Add(((byte[])r.GetValue(1)).Select(b => (sbyte)b * scale).ToArray());
        }
        return vectors.ToArray();
    }

    /// <summary>
    /// Vectors of <paramref name="texts"/>, read from a cache file of fp32 rows in text order that grows a chunk at a time
    /// (real embeddings take minutes on 2 cores; an interrupted run resumes). The texts are a fixed sequence, so a longer
    /// run extends a shorter one's file.
    /// </summary>
    private static float[][] CachedVectors(string path, List<string> texts, Func<IReadOnlyList<string>, CancellationToken, IProgress<int>?, float[][]> embed)
    {
        const int chunk = 500;
        var vectors = new List<float[]>();
        if (File.Exists(path))
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            int dims = reader.ReadInt32();
            while (vectors.Count < texts.Count && reader.BaseStream.Position + dims * 4L <= reader.BaseStream.Length)
                vectors.Add(Enumerable.Range(0, dims).Select(_ => reader.ReadSingle()).ToArray());
        }
        var clock = Stopwatch.StartNew();
        while (vectors.Count < texts.Count)
        {
            var batch = embed(texts.GetRange(vectors.Count, Math.Min(chunk, texts.Count - vectors.Count)), default, null);
            bool fresh = !File.Exists(path);
            using (var writer = new BinaryWriter(new FileStream(path, FileMode.Append)))
            {
                if (fresh) writer.Write(batch[0].Length);
                foreach (var v in batch) foreach (var x in v) writer.Write(x);
            }
            vectors.AddRange(batch);
            Console.Error.WriteLine($"{Path.GetFileName(path)}: {vectors.Count}/{texts.Count} embedded ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        return vectors.ToArray();
    }

    /// <summary>
    /// `--store`: the HNSW graph (<see cref="VectorGraph"/>) against exact search over an index's real vectors (a copy of an
    /// embedded corpus, such as the editor eval's 110k ACM-CR papers): recall@10 and latency of the int8 scan and the graph.
    /// Exact is fp32 over the vectors the codes stand for (real embeddings rounded once).
    /// </summary>
    private static int GraphRecall(string storePath, IEmbedder embedder, IReadOnlyList<float[]> queryVectors)
    {
        VectorIndex vectors;
        using (var store = PaperStore.Open(storePath, verify: false)) vectors = store.LoadVectors(embedder.ModelId, embedder.Dimensions);
        if (vectors.Count == 0) return Fail($"{storePath} holds no vectors of {embedder.ModelId}");
        int dims = vectors.Dimensions;
        var decoded = vectors.Decoded();
        const int k = 10;
        var exact = queryVectors.Select(q => Enumerable.Range(0, vectors.Count)
            .Select(row => (Row: row, Score: System.Numerics.Tensors.TensorPrimitives.Dot(q, decoded.AsSpan(row * dims, dims))))
            .OrderByDescending(x => x.Score).Take(k).Select(x => vectors.IdAt(x.Row)).ToHashSet()).ToList();

        var rows = new List<(string Figure, string Value)>();
        (double Recall, double P50, double P99) Measure(int rescoreExtra)
        {
            var times = new List<double>();
            double recall = queryVectors.Select((q, i) =>
            {
                var clock = Stopwatch.StartNew();
                var hits = vectors.Search(q, k, rescoreExtra);
                times.Add(clock.Elapsed.TotalMilliseconds);
                return hits.Count(h => exact[i].Contains(h.Id)) / (double)k;
            }).Average();
            times.Sort();
            return (recall, times[times.Count / 2], times[Math.Min(times.Count - 1, (int)(times.Count * 0.99))]);
        }
        void Add(string name, int rescoreExtra)
        {
            var (recall, p50, p99) = Measure(rescoreExtra);
            rows.Add(($"{name}, top {k + rescoreExtra} rescored", $"recall@10 {recall:F4}, p50 / p99 {p50:F2} / {p99:F2} ms"));
        }
        Add("int8 scan", 0);
        Add("int8 scan", 200);
        string graphPath = Path.Combine(Path.GetTempPath(), "paperlens-recall", "graph-" + Path.GetFileNameWithoutExtension(storePath) + ".hnsw");
        var build = Stopwatch.StartNew();
        using var graph = VectorGraph.Build(vectors, graphPath);
        if (graph is null) return Fail("USearch's native library cannot be loaded here");
        rows.Add(($"build the HNSW graph ({Environment.ProcessorCount} threads)", $"{build.Elapsed.TotalSeconds:F0} s, {new FileInfo(graphPath).Length / 1048576.0:F0} MiB + manifest {new FileInfo(graphPath + ".rows").Length / 1048576.0:F1} MiB"));
        using var mapped = VectorGraph.Open(graphPath, dims)!;
        vectors.AttachGraph(mapped);
        foreach (int extra in new[] { 0, 50, 200, 500 }) Add("HNSW graph (memory-mapped)", extra);
        VectorGraph.Delete(graphPath);

        Console.WriteLine($"{vectors.Count:N0} vectors of {Path.GetFileName(storePath)} (real embeddings of {embedder.ModelId}), {queryVectors.Count} ACM-CR citation contexts as queries; exact: fp32 over the decoded vectors; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine("| dense search | value |");
        Console.WriteLine("|---|---|");
        foreach (var (figure, value) in rows) Console.WriteLine($"| {figure} | {value} |");
        return 0;
    }

    private static int RecallTable(string source, float[][] docs, IReadOnlyList<float[]> queryVectors)
    {
        int dims = docs[0].Length;
        var flat = docs.SelectMany(v => v).ToArray();
        var ids = Enumerable.Range(0, docs.Length).Select(i => (long)i).ToArray();
        const int k = 10;
        var exact = queryVectors.Select(q => Enumerable.Range(0, docs.Length)
            .Select(i => (Id: (long)i, Score: System.Numerics.Tensors.TensorPrimitives.Dot(q, docs[i])))
            .OrderByDescending(x => x.Score).Take(k).Select(x => x.Id).ToHashSet()).ToList();
        double Recall(VectorIndex index, int rescoreExtra) =>
            queryVectors.Select((q, i) => index.Search(q, k, rescoreExtra).Count(h => exact[i].Contains(h.Id)) / (double)k).Average();

        // The indexer fits a new model's calibration on 256 texts spread over the corpus.
        var sample = Enumerable.Range(0, Math.Min(256, docs.Length)).SelectMany(i => docs[(int)((long)i * docs.Length / Math.Min(256, docs.Length))]).ToArray();
        var variants = new (string Name, VectorCalibration Calibration)[]
        {
            ("no calibration (schema 3)", VectorCalibration.Identity(dims)),
            ("mean removed", new VectorCalibration(VectorCalibration.Fit(flat, dims).Mean, Enumerable.Repeat(1f, dims).ToArray())),
            ("mean removed, per-dimension spread", VectorCalibration.Fit(flat, dims)),
            ("as the indexer stores them: mean and spread of 256 spread texts (schema 4)", VectorCalibration.Fit(sample, dims)),
        };
        Console.WriteLine($"{docs.Length:N0} {source}, {queryVectors.Count} ACM-CR citation contexts as queries");
        Console.WriteLine("| int8 codes, one scale per vector | scan only | scan + fp32-query rescoring of top 210 | top 510 |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, calibration) in variants)
        {
            var index = new VectorIndex(ids, flat, dims, calibration);
            Console.WriteLine($"| {name} | {Recall(index, 0):F4} | {Recall(index, 200):F4} | {Recall(index, 500):F4} |");
        }
        return 0;
    }
}
