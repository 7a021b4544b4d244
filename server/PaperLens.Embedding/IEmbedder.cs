namespace PaperLens.Embedding;

/// <summary>Turns text into L2-normalised vectors. Implementations are thread-safe.</summary>
public interface IEmbedder : IDisposable
{
    /// <summary>Stable id of the model and its settings; part of the embedding cache key.</summary>
    string ModelId { get; }
    int Dimensions { get; }
    /// <summary>Embeds a search query (the model's query prefix is added).</summary>
    float[] EmbedQuery(string text);
    /// <summary>Embeds a passage (paper title and abstract), no prefix.</summary>
    float[] EmbedDocument(string text);

    /// <summary>
    /// Embeds many passages; results are in input order. <paramref name="progress"/> receives the
    /// number of texts done so far. The default runs them one after another.
    /// </summary>
    float[][] EmbedDocuments(IReadOnlyList<string> texts, CancellationToken ct = default, IProgress<int>? progress = null)
    {
        var results = new float[texts.Count][];
        for (int i = 0; i < texts.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            results[i] = EmbedDocument(texts[i]);
            progress?.Report(i + 1);
        }
        return results;
    }
}
