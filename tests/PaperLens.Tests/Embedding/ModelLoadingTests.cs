using PaperLens.Embedding;

namespace PaperLens.Tests.Embedding;

/// <summary>Broken or missing model folders give a clear message, never a raw exception.</summary>
public sealed class ModelLoadingTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("paperlens-model-");

    private const string ValidJson = """
        { "name": "tiny", "pooling": "mean", "dimensions": 8, "maxTokens": 128,
          "queryPrefix": "query: ", "model": "m.onnx", "vocab": "v.txt" }
        """;

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_dir.FullName, name), content);

    [Fact]
    public void Loads_settings_from_model_json()
    {
        Write("model.json", ValidJson);
        var config = ModelConfig.Load(_dir.FullName);
        Assert.Equal(Pooling.Mean, config.Pooling);
        Assert.Equal(("query: ", "", 128, 8), (config.QueryPrefix, config.DocumentPrefix, config.MaxTokens, config.Dimensions));
        Assert.Equal(Path.Combine(_dir.FullName, "m.onnx"), config.ModelPath);
    }

    [Fact]
    public void Missing_folder_says_how_to_get_the_model()
    {
        Assert.False(OnnxEmbedder.TryLoad(Path.Combine(_dir.FullName, "absent"), out _, out var error));
        Assert.Contains("model.json", error);
        Assert.Contains("dotnet build", error);
    }

    [Theory]
    [InlineData("{ not json", "Cannot read")]
    [InlineData("""{ "name": "x", "dimensions": 0 }""", "\"dimensions\" must be positive")]
    [InlineData("""{ "name": "x", "dimensions": 4, "pooling": "max" }""", "Cannot read")]
    [InlineData("""{ "dimensions": 4 }""", "Cannot read")]
    public void Invalid_model_json_is_reported(string json, string expected)
    {
        Write("model.json", json);
        var e = Assert.Throws<EmbeddingModelException>(() => ModelConfig.Load(_dir.FullName));
        Assert.Contains(expected, e.Message);
        Assert.Contains("model.json", e.Message);
    }

    [Fact]
    public void Missing_model_file_is_named()
    {
        Write("model.json", ValidJson);
        Write("v.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
        var e = Assert.Throws<EmbeddingModelException>(() => OnnxEmbedder.Load(_dir.FullName));
        Assert.Contains("m.onnx", e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Damaged_model_file_is_reported()
    {
        Write("model.json", ValidJson);
        Write("v.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
        Write("m.onnx", "this is not an onnx graph");
        Assert.False(OnnxEmbedder.TryLoad(_dir.FullName, out _, out var error));
        Assert.Contains("Cannot load the ONNX model", error);
        Assert.Contains("m.onnx", error);
    }

    [Fact]
    public void Missing_vocabulary_is_named()
    {
        Write("model.json", ValidJson);
        var e = Assert.Throws<EmbeddingModelException>(() => OnnxEmbedder.Load(_dir.FullName));
        Assert.Contains("v.txt", e.Message);
    }

    [Fact]
    public void Default_model_is_found_next_to_the_tests()
    {
        var dir = ModelLocator.DefaultModelDirectory();
        Assert.NotNull(dir);
        Assert.True(File.Exists(Path.Combine(dir, "model.onnx")), "the build extracts model.onnx");
        Assert.True(File.Exists(Path.Combine(dir, "vocab.txt")));
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
