using PaperLens.Embedding;
using Xunit.Abstractions;

namespace PaperLens.Tests.Embedding;

/// <summary>
/// The quality gate of the int8 models the build writes (tools/PaperLens.Quantize): on every sample
/// abstract, the default (int8) vector is within cosine 0.995 of the fp32 one. Per-tensor int8
/// reaches only 0.981 on arctic-embed-xs; per output channel it passes.
/// </summary>
public sealed class Int8QualityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ModelLocator.ArcticEmbedXsFolder)]
    [InlineData(ModelLocator.MiniLMFolder)]
    public void Int8_vectors_are_within_cosine_0_995_of_fp32_on_every_sample_abstract(string folder)
    {
        var dir = ModelLocator.BundledModelDirectory(folder) ?? throw new InvalidOperationException($"{folder} not found; the build extracts it.");
        using var int8 = OnnxEmbedder.Load(dir);
        using var fp32 = OnnxEmbedder.Load(dir, new EmbedderOptions { FullPrecision = true });
        Assert.EndsWith(".int8.onnx", int8.Config.ModelPath);
        Assert.Equal(int8.Config.Fp32Model, Path.GetFileName(fp32.Config.ModelPath));
        Assert.NotEqual(int8.ModelId, fp32.ModelId);

        var abstracts = SampleAbstracts.Load();
        var quantized = int8.EmbedDocuments(abstracts);
        var full = fp32.EmbedDocuments(abstracts);
        var cosines = abstracts.Select((_, i) => (double)VectorMath.Cosine(quantized[i], full[i])).ToArray();
        output.WriteLine($"{folder}: int8 vs fp32 on {abstracts.Count} abstracts: min cosine {cosines.Min():F4}, mean {cosines.Average():F4}");
        for (int i = 0; i < abstracts.Count; i++)
            Assert.True(cosines[i] >= 0.995, $"cosine {cosines[i]:F4} for: {abstracts[i][..60]}");
    }
}
