using System.Numerics.Tensors;

namespace PaperLens.Embedding;

/// <summary>Small vector helpers shared by the embedders.</summary>
public static class VectorMath
{
    /// <summary>Scales <paramref name="vector"/> to unit length in place (a zero vector stays zero).</summary>
    public static void NormalizeInPlace(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
            TensorPrimitives.Divide(vector, norm, vector);
    }

    /// <summary>Cosine similarity; for unit vectors this is the dot product.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        TensorPrimitives.CosineSimilarity(a, b);
}
