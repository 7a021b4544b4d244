using PaperLens.Embedding;
using Xunit.Abstractions;

namespace PaperLens.Tests.Embedding;

/// <summary>
/// Texts padded into batches (EmbedderOptions.BatchSize, as `index --device cuda` runs them) give the vectors that
/// one text per inference gives: the attention mask and the pooling leave the padding out.
/// </summary>
public sealed class BatchedEmbeddingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ModelLocator.ArcticEmbedXsFolder, true)]
    [InlineData(ModelLocator.MiniLMFolder, true)]
    [InlineData(ModelLocator.ArcticEmbedXsFolder, false)]
    [InlineData(ModelLocator.MiniLMFolder, false)]
    public void Batched_vectors_match_one_text_per_inference_on_every_sample_abstract(string folder, bool fullPrecision)
    {
        // int8 files ignore BatchSize (their vectors would depend on their batch neighbours): the same vectors exactly.
        var dir = ModelLocator.BundledModelDirectory(folder) ?? throw new InvalidOperationException($"{folder} not found; the build extracts it.");
        using var single = OnnxEmbedder.Load(dir, new EmbedderOptions { FullPrecision = fullPrecision });
        using var batched = OnnxEmbedder.Load(dir, new EmbedderOptions { FullPrecision = fullPrecision, BatchSize = 8 });
        // Short texts beside long ones, so that most rows of a batch carry padding.
        var texts = SampleAbstracts.Load().SelectMany(a => new[] { a, a[..Math.Min(a.Length, 80)] }).ToList();

        var one = single.EmbedDocuments(texts);
        var many = batched.EmbedDocuments(texts);
        var cosines = texts.Select((_, i) => (double)VectorMath.Cosine(one[i], many[i])).ToArray();
        output.WriteLine($"{folder} {(fullPrecision ? "fp32" : "int8")}: batched vs one by one on {texts.Count} texts: min cosine {cosines.Min():F6}");
        for (int i = 0; i < texts.Count; i++)
            Assert.True(cosines[i] >= 0.9999, $"cosine {cosines[i]:F6} for: {texts[i][..Math.Min(60, texts[i].Length)]}");
        Assert.Equal(single.EmbedDocument(texts[0]), one[0]);
        Assert.Equal(!fullPrecision, batched.Quantized);
        if (batched.Quantized) Assert.All(texts.Select((_, i) => i), i => Assert.Equal(one[i], many[i]));
    }

    [Fact]
    public void A_batch_with_one_text_is_the_single_inference()
    {
        var dir = ModelLocator.BundledModelDirectory(ModelLocator.MiniLMFolder)!;
        using var embedder = OnnxEmbedder.Load(dir);
        var ids = embedder.Tokenizer.Encode("Mean pooling over the real tokens only.");
        Assert.Equal(embedder.EmbedTokenIds(ids), embedder.EmbedTokenIdBatch([ids])[0]);
    }

    [Fact]
    public void Cuda_in_the_cpu_build_fails_with_one_clear_line()
    {
        var dir = ModelLocator.BundledModelDirectory(ModelLocator.DefaultModelFolder)!;
        Assert.False(OnnxEmbedder.TryLoad(dir, out var embedder, out var error, new EmbedderOptions { Device = EmbeddingDevice.Cuda }));
        Assert.Null(embedder);
        Assert.Equal(OnnxEmbedder.CudaNotBuilt, error);
        Assert.DoesNotContain('\n', error);
    }
}
