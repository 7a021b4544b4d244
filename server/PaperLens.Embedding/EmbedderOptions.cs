namespace PaperLens.Embedding;

/// <summary>Where <see cref="OnnxEmbedder"/> runs the model.</summary>
public enum EmbeddingDevice
{
    Cpu,
    /// <summary>ONNX Runtime's CUDA execution provider: only in a build with <c>-p:PaperLensCuda=true</c>.</summary>
    Cuda,
}

/// <summary>
/// How <see cref="OnnxEmbedder"/> spends the CPU (or the GPU). By default each text is its own batch-1 inference, and
/// <see cref="Workers"/> of them run at once over one shared session. Measured on 2 cores (tests/PaperLens.Benchmarks,
/// verb <c>embed</c>), 2 workers × 1 intra-op thread was fastest.
/// </summary>
public sealed record EmbedderOptions
{
    /// <summary>Texts (or batches) embedded concurrently by <see cref="OnnxEmbedder.EmbedDocuments"/>.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;
    /// <summary>Threads ONNX Runtime uses inside one inference.</summary>
    public int IntraOpThreads { get; init; } = 1;
    /// <summary>
    /// Load the model's full-precision file (<see cref="ModelConfig.Fp32Model"/>) instead of its default
    /// int8 one: about 2× slower, vectors within cosine 0.995 of each other.
    /// </summary>
    public bool FullPrecision { get; init; }
    public EmbeddingDevice Device { get; init; } = EmbeddingDevice.Cpu;
    /// <summary>
    /// Texts per inference in <see cref="OnnxEmbedder.EmbedDocuments"/>: texts of similar token length are padded to the
    /// longest of their batch and masked. 1: no padding, each text alone (the CPU default). Only for fp32 files: an int8
    /// file always embeds one text per inference (<see cref="OnnxEmbedder.Quantized"/>).
    /// </summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Texts per inference on the GPU, where one big batch beats many small ones.</summary>
    public const int CudaBatchSize = 64;

    public static EmbedderOptions Default { get; } = new();
}
