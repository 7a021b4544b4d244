namespace PaperLens.Embedding;

/// <summary>
/// How <see cref="OnnxEmbedder"/> spends the CPU. Texts are never padded into batches: each one is its
/// own batch-1 inference, and <see cref="Workers"/> of them run at once over one shared session.
/// Measured on 2 cores (tests/PaperLens.Benchmarks, verb <c>embed</c>), 2 workers × 1 intra-op
/// thread was fastest.
/// </summary>
public sealed record EmbedderOptions
{
    /// <summary>Texts embedded concurrently by <see cref="OnnxEmbedder.EmbedDocuments"/>.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;
    /// <summary>Threads ONNX Runtime uses inside one inference.</summary>
    public int IntraOpThreads { get; init; } = 1;
    /// <summary>
    /// Load the model's full-precision file (<see cref="ModelConfig.Fp32Model"/>) instead of its default
    /// int8 one: about 2× slower, vectors within cosine 0.995 of each other.
    /// </summary>
    public bool FullPrecision { get; init; }

    public static EmbedderOptions Default { get; } = new();
}
