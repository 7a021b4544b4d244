using System.CommandLine;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Index;
using Serilog;

namespace PaperLens.Server.Cli;

/// <summary>What a verb works with: the open index, and the embedder when the model loads.</summary>
public sealed class CliSession : IDisposable
{
    /// <summary>Texts left to embed below which search embeds them itself instead of asking for `index`.</summary>
    private const int AutoEmbedLimit = 200;

    public PaperStore Store { get; }
    public string IndexPath { get; }
    private readonly string? _modelDirectory;
    private readonly EmbedderOptions _embedderOptions;
    private IEmbedder? _embedder;
    private bool _embedderTried;

    private CliSession(PaperStore store, string indexPath, string? modelDirectory, EmbedderOptions embedderOptions)
    {
        Store = store; IndexPath = indexPath; _modelDirectory = modelDirectory; _embedderOptions = embedderOptions;
    }

    /// <param name="embedderOptions">Default: what the shared options (<see cref="CliOptions.Fp32"/>) ask for.</param>
    public static CliSession Open(ParseResult parse, string? indexOverride = null, EmbedderOptions? embedderOptions = null)
    {
        string path = Path.GetFullPath(indexOverride ?? parse.GetValue(CliOptions.Index) ?? AppPaths.DefaultIndex);
        try
        {
            return new CliSession(PaperStore.Open(path), path, parse.GetValue(CliOptions.Model), embedderOptions ?? CliOptions.EmbedderOptions(parse));
        }
        catch (IndexFormatException e)
        {
            throw new CliException($"{e.Message}.\nRebuild it with `paperlens index --rebuild <paths>` (or delete {path}).");
        }
    }

    /// <summary>The embedder, or null (with a warning) when the model cannot be loaded: search then falls back to BM25.</summary>
    public IEmbedder? Embedder
    {
        get
        {
            if (_embedderTried) return _embedder;
            _embedderTried = true;
            ProgressBar.Phase("loading the embedding model");
            if (!EmbedderFactory.TryCreate(_modelDirectory, out _embedder, out _embedderError, _embedderOptions))
                Log.Warning("Semantic ranking is off: {Reason}", _embedderError);
            return _embedder;
        }
    }

    private string? _embedderError;

    /// <summary>The embedder, for a verb that must not go on without it (such as `index --device cuda`).</summary>
    /// <exception cref="CliException">The model did not load: the reason, in one message.</exception>
    public IEmbedder RequireEmbedder()
    {
        if (_embedderTried) return _embedder ?? throw new CliException(_embedderError ?? "the embedding model did not load");
        _embedderTried = true;
        ProgressBar.Phase("loading the embedding model");
        if (!EmbedderFactory.TryCreate(_modelDirectory, out _embedder, out _embedderError, _embedderOptions))
            throw new CliException(_embedderError);
        return _embedder;
    }

    /// <summary>The CLI's indexer: its corpus is kept apart from the editor's when both share one index file.</summary>
    public Indexer CreateIndexer() => new(Store) { Owner = "cli" };

    /// <summary>The CLI's indexed paths, or null when `index` never ran on this index.</summary>
    public IReadOnlyList<string>? IndexedPaths => CreateIndexer().OwnCorpus();

    /// <summary>The CLI's indexed paths, or the bundled sample when nothing was indexed yet.</summary>
    public IReadOnlyList<string> CorpusPaths => IndexedPaths ?? [AppPaths.BundledSampleCorpus];

    /// <summary>Re-reads the corpus when its files changed; embeds the new papers when they are few.</summary>
    public void EnsureFresh()
    {
        var corpus = CorpusPaths;
        var indexer = CreateIndexer();
        if (indexer.IsStale(corpus))
        {
            Log.Information("Indexing {Corpus}", string.Join(", ", corpus));
            ProgressBar.Phase(IndexedPaths is null ? "first run: indexing the bundled sample corpus" : "sources changed: re-indexing");
            using var bar = new ProgressBar();
            indexer.Sync(corpus, p => Log.Warning("{Problem}", p.ToString()), bar);
        }
        if (Embedder is { } embedder)
        {
            var pending = Store.Stats(embedder.ModelId).Pending;
            if (pending > 0 && pending <= AutoEmbedLimit)
            {
                using var bar = new ProgressBar();
                indexer.EmbedPending(embedder, bar);
            }
            else if (pending > AutoEmbedLimit)
                Log.Warning("{Pending} papers have no embedding yet: they are ranked by BM25 only. Run `paperlens index` to embed them.", pending);
        }
    }

    public PaperSearch CreateSearch()
    {
        var embedder = Embedder;
        var vectors = embedder is null ? VectorIndex.Empty : Store.LoadVectors(embedder.ModelId, embedder.Dimensions);
        return new PaperSearch(Store, vectors, embedder);
    }

    public void Dispose()
    {
        _embedder?.Dispose();
        Store.Dispose();
    }
}
