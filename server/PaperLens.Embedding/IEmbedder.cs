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
}
