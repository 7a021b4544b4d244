using PaperLens.Embedding;

namespace PaperLens.Tests.Embedding;

public class HashingEmbedderTests
{
    private readonly HashingEmbedder _embedder = new();

    [Fact]
    public void Is_deterministic_and_normalised()
    {
        var a = _embedder.EmbedDocument("Graph contrastive learning for node embeddings");
        Assert.Equal(a, new HashingEmbedder().EmbedDocument("graph CONTRASTIVE learning, for node embeddings"));
        Assert.Equal(1.0, Math.Sqrt(a.Sum(x => (double)x * x)), 5);
        Assert.Equal(384, a.Length);
    }

    [Fact]
    public void Shared_words_make_texts_closer()
    {
        var query = _embedder.EmbedQuery("context window extension");
        var related = _embedder.EmbedDocument("We study context window extension for language models.");
        var unrelated = _embedder.EmbedDocument("Belief propagation for label proportions.");
        Assert.True(VectorMath.Cosine(query, related) > VectorMath.Cosine(query, unrelated));
    }
}
