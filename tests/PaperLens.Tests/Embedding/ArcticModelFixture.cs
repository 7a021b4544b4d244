using PaperLens.Embedding;

namespace PaperLens.Tests.Embedding;

/// <summary>
/// The real default model, loaded once for the tests that need it. A plain `dotnet build` extracts
/// it, so these tests run from a clean clone; they are the slow ones (a few seconds each).
/// </summary>
public sealed class ArcticModelFixture : IDisposable
{
    public OnnxEmbedder Embedder { get; }

    public ArcticModelFixture()
    {
        var dir = ModelLocator.DefaultModelDirectory()
            ?? throw new InvalidOperationException("models/arctic-embed-xs not found; the build should have extracted it.");
        Embedder = OnnxEmbedder.Load(dir);
    }

    public void Dispose() => Embedder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ArcticModelCollection : ICollectionFixture<ArcticModelFixture>
{
    public const string Name = "Arctic model";
}
