using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaperLens.Embedding;

public enum Pooling
{
    /// <summary>The hidden state of the first token ([CLS]).</summary>
    Cls,
    /// <summary>The average hidden state over all tokens.</summary>
    Mean,
}

/// <summary>
/// Describes a BERT-family ONNX sentence-embedding model: the contents of <c>model.json</c> in the
/// model folder. Another model works by writing its own model.json next to its files.
/// </summary>
public sealed record ModelConfig
{
    public const string FileName = "model.json";

    public required string Name { get; init; }
    public string Architecture { get; init; } = "bert";
    public Pooling Pooling { get; init; } = Pooling.Cls;
    public bool Normalize { get; init; } = true;
    /// <summary>Prepended to queries (asymmetric retrieval models such as Arctic or E5).</summary>
    public string QueryPrefix { get; init; } = "";
    public string DocumentPrefix { get; init; } = "";
    /// <summary>Longest input in tokens, [CLS] and [SEP] included; longer texts are truncated.</summary>
    public int MaxTokens { get; init; } = 512;
    public int Dimensions { get; init; }
    /// <summary>Uncased vocabulary: lowercase and strip accents before WordPiece.</summary>
    public bool Lowercase { get; init; } = true;
    /// <summary>ONNX file loaded by default, relative to the model folder (the bundled models: the int8 one).</summary>
    public string Model { get; init; } = "model.onnx";
    /// <summary>
    /// The full-precision ONNX file, when <see cref="Model"/> is a quantised copy of it; loaded instead
    /// with <see cref="EmbedderOptions.FullPrecision"/>, or by naming it in <c>"model"</c>.
    /// </summary>
    public string? Fp32Model { get; init; }
    /// <summary>WordPiece vocabulary file name, relative to the model folder.</summary>
    public string Vocab { get; init; } = "vocab.txt";

    /// <summary>The folder this configuration was loaded from.</summary>
    [JsonIgnore] public string Directory { get; init; } = "";
    [JsonIgnore] public string ModelPath => Path.Combine(Directory, Model);
    [JsonIgnore] public string VocabPath => Path.Combine(Directory, Vocab);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Reads and checks <c>model.json</c> in <paramref name="modelDir"/>.</summary>
    /// <exception cref="EmbeddingModelException">The file is missing, unreadable or invalid.</exception>
    public static ModelConfig Load(string modelDir)
    {
        var dir = Path.GetFullPath(modelDir);
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path))
            throw new EmbeddingModelException(
                $"No embedding model description at {path}. {EmbeddingModelException.Remedy}");

        ModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(File.ReadAllBytes(path), JsonOptions);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new EmbeddingModelException($"Cannot read {path}: {e.Message}", e);
        }
        if (config is null)
            throw new EmbeddingModelException($"{path} is empty.");

        config = config with { Directory = dir };
        config.Validate(path);
        return config;
    }

    private void Validate(string path)
    {
        string? problem =
            string.IsNullOrWhiteSpace(Name) ? "\"name\" is empty" :
            !Architecture.Equals("bert", StringComparison.OrdinalIgnoreCase) ? $"architecture \"{Architecture}\" is not supported (only \"bert\")" :
            MaxTokens < 3 ? "\"maxTokens\" must be at least 3" :
            Dimensions <= 0 ? "\"dimensions\" must be positive" :
            string.IsNullOrWhiteSpace(Model) ? "\"model\" is empty" :
            Fp32Model is not null && string.IsNullOrWhiteSpace(Fp32Model) ? "\"fp32Model\" is empty" :
            string.IsNullOrWhiteSpace(Vocab) ? "\"vocab\" is empty" :
            null;
        if (problem is not null)
            throw new EmbeddingModelException($"{path}: {problem}.");
    }
}
