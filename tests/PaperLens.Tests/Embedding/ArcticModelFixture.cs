using PaperLens.Embedding;

namespace PaperLens.Tests.Embedding;

/// <summary>
/// The real default model, loaded once for the tests that need it. A plain `dotnet build` extracts
/// it, so these tests run from a clean clone; they are the slow ones (a few seconds each).
/// </summary>
public sealed class ArcticModelFixture : IDisposable
{
    /// <summary>The model as the server loads it (its int8 file).</summary>
    public OnnxEmbedder Embedder { get; }
    /// <summary>The fp32 file, for parity with the reference package (same weights).</summary>
    public OnnxEmbedder Fp32Embedder => _fp32.Value;
    private readonly Lazy<OnnxEmbedder> _fp32;

    public ArcticModelFixture()
    {
        var dir = ModelLocator.BundledModelDirectory(ModelLocator.ArcticEmbedXsFolder)
            ?? throw new InvalidOperationException("models/arctic-embed-xs not found; the build should have extracted it.");
        Embedder = OnnxEmbedder.Load(dir);
        _fp32 = new(() => OnnxEmbedder.Load(dir, new EmbedderOptions { FullPrecision = true }));
    }

    public void Dispose()
    {
        Embedder.Dispose();
        if (_fp32.IsValueCreated)
            _fp32.Value.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ArcticModelCollection : ICollectionFixture<ArcticModelFixture>
{
    public const string Name = "Arctic model";
}
