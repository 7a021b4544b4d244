using System.Diagnostics.CodeAnalysis;

namespace PaperLens.Embedding;

/// <summary>The entry point for applications: the model the user asked for, or the default one.</summary>
public static class EmbedderFactory
{
    /// <summary>
    /// Loads the ONNX model in <paramref name="modelDir"/>, or the default model when it is null.
    /// On failure <paramref name="error"/> is a message to show the user as it is.
    /// </summary>
    public static bool TryCreate(string? modelDir, [NotNullWhen(true)] out IEmbedder? embedder,
        [NotNullWhen(false)] out string? error, EmbedderOptions? options = null)
    {
        embedder = null;
        modelDir ??= ModelLocator.DefaultModelDirectory();
        if (modelDir is null)
        {
            error = $"The default embedding model ({ModelLocator.DefaultModelFolder}) was not found next to "
                + $"{AppContext.BaseDirectory} or above it. {EmbeddingModelException.Remedy}";
            return false;
        }
        if (!OnnxEmbedder.TryLoad(modelDir, out var onnx, out error, options))
            return false;
        embedder = onnx;
        return true;
    }
}
