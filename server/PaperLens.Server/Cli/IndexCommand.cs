using System.CommandLine;
using PaperLens.Index;
using Serilog;

namespace PaperLens.Server.Cli;

/// <summary>`paperlens index <paths…> [--no-embed] [--rebuild]`.</summary>
public static class IndexCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files, folders or globs: .bib, CSL-JSON .json, arXiv .jsonl, paper listings .txt", Arity = ArgumentArity.ZeroOrMore };
        var noEmbed = new Option<bool>("--no-embed") { Description = "Stop after the lexical index (searchable at once); embed later" };
        var rebuild = new Option<bool>("--rebuild") { Description = "Delete the index file first (for a damaged index)" };
        var command = new Command("index", "Index paper collections: metadata and BM25 first, then embeddings") { paths, noEmbed, rebuild };
        command.SetAction((parse, ct) => Task.FromResult(Run(parse, parse.GetValue(paths) ?? [], parse.GetValue(noEmbed), parse.GetValue(rebuild), ct)));
        return command;
    }

    private static int Run(ParseResult parse, string[] paths, bool noEmbed, bool rebuild, CancellationToken ct)
    {
        if (rebuild) PaperStore.Delete(Path.GetFullPath(parse.GetValue(CliOptions.Index) ?? AppPaths.DefaultIndex));
        using var session = CliSession.Open(parse);
        IReadOnlyList<string> corpus = paths.Length > 0 ? paths.Select(Path.GetFullPath).ToArray() : session.CorpusPaths;
        var indexer = new Indexer(session.Store);

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
        return 0;
    }
}
