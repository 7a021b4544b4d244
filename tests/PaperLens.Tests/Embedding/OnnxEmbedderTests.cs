using PaperLens.Embedding;

namespace PaperLens.Tests.Embedding;

/// <summary>The real model end to end: shape, normalisation, prefixes, batching and a ranking sanity check.</summary>
[Collection(ArcticModelCollection.Name)]
public class OnnxEmbedderTests(ArcticModelFixture model)
{
    private readonly OnnxEmbedder _embedder = model.Embedder;

    [Fact]
    public void Reads_the_model_description()
    {
        Assert.Equal(384, _embedder.Dimensions);
        Assert.True(_embedder.UsesTokenTypeIds);
        Assert.Matches("^snowflake-arctic-embed-xs@[0-9a-f]{12}$", _embedder.ModelId);
    }

    [Fact]
    public void Vectors_have_unit_length()
    {
        foreach (var vector in new[] { _embedder.EmbedDocument("Graph neural networks."), _embedder.EmbedQuery("gnn"), _embedder.EmbedDocument("") })
        {
            Assert.Equal(384, vector.Length);
            Assert.Equal(1.0, Math.Sqrt(vector.Sum(x => (double)x * x)), 4);
        }
    }

    [Fact]
    public void Queries_get_the_query_prefix()
    {
        const string query = "contrastive learning on graphs";
        var asQuery = _embedder.EmbedQuery(query);
        Assert.Equal(_embedder.EmbedDocument(_embedder.Config.QueryPrefix + query), asQuery);
        Assert.True(VectorMath.Cosine(asQuery, _embedder.EmbedDocument(query)) < 0.999f);
    }

    [Fact]
    public void A_context_window_query_ranks_a_context_window_abstract_first()
    {
        var abstracts = SampleAbstracts.Load();
        var query = _embedder.EmbedQuery("extending the context window of RoPE-based LLMs");
        var ranked = _embedder.EmbedDocuments(abstracts)
            .Select((vector, i) => (Score: VectorMath.Cosine(query, vector), Text: abstracts[i]))
            .OrderByDescending(x => x.Score)
            .ToList();
        var unrelated = ranked.Single(x => x.Text.Contains("Learning from Label Proportions (LLP)"));

        Assert.Contains("context window", ranked[0].Text);
        Assert.True(ranked[0].Score > unrelated.Score + 0.1f, $"{ranked[0].Score} vs {unrelated.Score}");
    }

    [Fact]
    public void Batch_results_match_single_calls_in_input_order()
    {
        string[] texts = ["A short one.", string.Join(" ", Enumerable.Repeat("long text", 200)), "Medium length text about transformers."];
        var reported = new List<int>();
        var batch = _embedder.EmbedDocuments(texts, CancellationToken.None, new SynchronousProgress(reported));

        for (int i = 0; i < texts.Length; i++)
            Assert.True(VectorMath.Cosine(_embedder.EmbedDocument(texts[i]), batch[i]) > 0.99999f);
        Assert.Equal(texts.Length, reported.Max());
    }

    [Fact]
    public void Batch_honours_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => _embedder.EmbedDocuments(["text"], cancelled.Token));
    }

    private sealed class SynchronousProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (values) values.Add(value);
        }
    }
}
