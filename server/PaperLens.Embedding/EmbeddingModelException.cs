namespace PaperLens.Embedding;

/// <summary>
/// The embedding model could not be loaded or run. The message is written for users: it names the
/// file or setting at fault and what to do about it, so callers can print it without a stack trace.
/// </summary>
public sealed class EmbeddingModelException : Exception
{
    public const string Remedy =
        "Run `dotnet build` in the PaperLens repository to extract the default model, or pass --model PATH to a folder holding model.json.";

    public EmbeddingModelException(string message, Exception? inner = null) : base(message, inner) { }
}
