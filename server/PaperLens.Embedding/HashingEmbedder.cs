using System.Text;

namespace PaperLens.Embedding;

/// <summary>
/// A deterministic stand-in for a real model, for unit tests and offline fallbacks only — never the
/// default. Each lowercased word and each pair of neighbouring words is hashed into one of
/// <see cref="Dimensions"/> buckets with a ±1 sign; the counts are L2-normalised. Texts that share
/// words therefore come out similar, which is enough to test ranking plumbing without the ONNX model.
/// </summary>
public sealed class HashingEmbedder(int dimensions = 384) : IEmbedder
{
    public string ModelId => $"hashing-{Dimensions}";
    public int Dimensions { get; } = dimensions;

    public float[] EmbedQuery(string text) => EmbedDocument(text);

    public float[] EmbedDocument(string text)
    {
        var vector = new float[Dimensions];
        string? previous = null;
        foreach (var word in Words(text))
        {
            Add(vector, word);
            if (previous is not null)
                Add(vector, previous + " " + word);
            previous = word;
        }
        VectorMath.NormalizeInPlace(vector);
        return vector;
    }

    private void Add(float[] vector, string feature)
    {
        ulong hash = Fnv1a(feature);
        vector[(int)(hash % (ulong)Dimensions)] += (hash >> 63) == 0 ? 1f : -1f;
    }

    /// <summary>64-bit FNV-1a: stable across processes, unlike string.GetHashCode.</summary>
    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211;
        }
        return hash;
    }

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
        if (word.Length > 0)
            yield return word.ToString();
    }

    public void Dispose() { }
}
