using System.CommandLine;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Index;
using PaperLens.Sources;
using Serilog;

namespace PaperLens.Server.Cli;

/// <summary>`paperlens index <paths…> [--replace] [--no-embed] [--rebuild] [--device cpu|cuda] [--batch N]`.</summary>
public static class IndexCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files, folders or globs to add to the indexed set: .bib, CSL-JSON .json, arXiv .jsonl, paper listings .txt. None: re-index the set", Arity = ArgumentArity.ZeroOrMore };
        var replace = new Option<bool>("--replace") { Description = "Index exactly these paths: papers of previously indexed paths are removed" };
        var noEmbed = new Option<bool>("--no-embed") { Description = "Stop after the lexical index (searchable at once); embed later" };
        var rebuild = new Option<bool>("--rebuild") { Description = "Delete the index file first (for a damaged index)" };
        var device = new Option<EmbeddingDevice>("--device") { Description = "Where to embed: cpu, or cuda (an NVIDIA GPU; only in a build with -p:PaperLensCuda=true). The index file is the same either way" };
        var batch = new Option<int?>("--batch") { Description = $"Texts per inference, padded to the longest of similar lengths (default: 1 on the CPU, {EmbedderOptions.CudaBatchSize} on CUDA)" };
        var command = new Command("index", "Index paper collections: metadata and BM25 first, then embeddings. Paths add to what earlier runs indexed; --replace replaces it")
            { paths, replace, noEmbed, rebuild, device, batch };
        command.SetAction((parse, ct) =>
        {
            var onDevice = parse.GetValue(device);
            int batchSize = parse.GetValue(batch) ?? (onDevice == EmbeddingDevice.Cuda ? EmbedderOptions.CudaBatchSize : 1);
            if (batchSize < 1) throw new CliException("--batch must be at least 1");
            var embedding = CliOptions.EmbedderOptions(parse) with { Device = onDevice, BatchSize = batchSize };
            return Task.FromResult(Run(parse, parse.GetValue(paths) ?? [], parse.GetValue(replace), parse.GetValue(noEmbed), parse.GetValue(rebuild), embedding, ct));
        });
        return command;
    }

    private static int Run(ParseResult parse, string[] paths, bool replace, bool noEmbed, bool rebuild, EmbedderOptions embedding, CancellationToken ct)
    {
        if (replace && paths.Length == 0) throw new CliException("--replace needs the paths to index");
        var named = paths.Select(Path.GetFullPath).ToArray();
        foreach (var path in named) RequireSources(path);

        if (rebuild) PaperStore.Delete(Path.GetFullPath(parse.GetValue(CliOptions.Index) ?? AppPaths.DefaultIndex));
        using var session = CliSession.Open(parse, embedderOptions: embedding);
        // A device asked for by name must work before anything is indexed; the CPU falls back to BM25 with a warning.
        if (embedding.Device != EmbeddingDevice.Cpu && !noEmbed) session.RequireEmbedder();
        var indexed = session.IndexedPaths ?? [];
        IReadOnlyList<string> corpus = named.Length == 0 ? session.CorpusPaths
            : replace ? named
            : indexed.Concat(named).Distinct(StringComparer.Ordinal).ToArray();
        var indexer = session.CreateIndexer();

        ProgressBar.Phase($"indexing {string.Join(", ", corpus)}");
        SyncResult sync;
        using (var bar = new ProgressBar())
            sync = indexer.Sync(corpus, p => Log.Warning("{Problem}", p.ToString()), bar, ct);
        Console.Error.WriteLine($"{sync.Papers} papers from {sync.Files} files: {sync.Added} added, {sync.Updated} updated, {sync.Removed} removed, {sync.Unchanged} unchanged; {sync.Problems} problems reported.");
        if (noEmbed)
        {
            Console.Error.WriteLine("Lexical index ready; embeddings skipped (--no-embed).");
            return 0;
        }
        if (session.Embedder is not { } embedder) return 0;
        EmbedResult embedded;
        using (var bar = new ProgressBar())
            embedded = indexer.EmbedPending(embedder, bar, ct);
        Console.Error.WriteLine($"Embedded {embedded.Embedded} texts in {embedded.Elapsed.TotalSeconds:F1} s" +
            (embedded.Embedded > 0 ? $" ({embedded.Embedded / embedded.Elapsed.TotalSeconds:F1}/s)" : "") +
            (embedded.Pending > 0 ? $"; {embedded.Pending} left for the next run." : "."));
        // A large corpus gets its dense search graph now, not in the editor's first minutes.
        using (var catalog = new PaperLens.Features.PaperCatalog(PaperStore.Open(session.Store.Path, verify: false), embedder))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (catalog.EnsureGraph(ct)) Console.Error.WriteLine($"Built the vector graph of {catalog.Count} papers in {clock.Elapsed.TotalSeconds:F0} s.");
        }
        return 0;
    }

    /// <summary>A named path must hold at least one source file: a typo must not empty the index.</summary>
    private static void RequireSources(string path)
    {
        var problems = new List<SourceProblem>();
        if (SourceLoader.Discover([path], problems.Add).Count > 0) return;
        string why = problems.Count > 0 ? problems[0].Message : "no source files (.bib, .json, .jsonl, .txt) in it";
        throw new CliException($"{path}: {why}. Nothing was indexed; the index is unchanged.");
    }
}
