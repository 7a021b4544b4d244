using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace PaperLens.Embedding;

/// <summary>
/// BERT WordPiece tokenization as the model was trained with it, built on Microsoft.ML.Tokenizers
/// with workarounds for two bugs in its BertTokenizer (2.0.1):
/// <list type="bullet">
/// <item>it drops the ASCII symbols <c>$ + &lt; = &gt; ^ ` | ~</c> (dotnet/machinelearning#7725):
/// a pre-tokenizer that splits on whitespace and treats those symbols as punctuation keeps them;</item>
/// <item>it joins words separated only by a newline or tab (#7724): those become spaces first.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class ModelTokenizer
{
    /// <summary>Runs of word characters, or one punctuation mark or one of the symbols BERT splits off.</summary>
    private static readonly Regex WordOrPunctuation =
        new(@"[^\s\p{P}$+<=>^`|~]+|[\p{P}$+<=>^`|~]", RegexOptions.Compiled);

    private readonly BertTokenizer _bert;
    private readonly string[] _vocabulary;

    public int MaxTokens { get; }
    public int ClsId => _bert.ClassificationTokenId;
    public int SepId => _bert.SeparatorTokenId;
    /// <summary>[PAD]: fills the ends of shorter texts in a batch (the attention mask hides it).</summary>
    public int PadId => _bert.PaddingTokenId;

    private ModelTokenizer(BertTokenizer bert, string[] vocabulary, int maxTokens)
    {
        _bert = bert;
        _vocabulary = vocabulary;
        MaxTokens = maxTokens;
    }

    /// <exception cref="EmbeddingModelException">The vocabulary is missing or unreadable.</exception>
    public static ModelTokenizer Load(ModelConfig config)
    {
        var path = config.VocabPath;
        if (!File.Exists(path))
            throw new EmbeddingModelException(
                $"The vocabulary file {path} named in {ModelConfig.FileName} is missing. {EmbeddingModelException.Remedy}");
        try
        {
            var vocabulary = File.ReadAllLines(path);
            var options = new BertOptions
            {
                LowerCaseBeforeTokenization = config.Lowercase,
                RemoveNonSpacingMarks = config.Lowercase,
                PreTokenizer = new RegexPreTokenizer(WordOrPunctuation, null),
            };
            using var stream = File.OpenRead(path);
            return new ModelTokenizer(BertTokenizer.Create(stream, options), vocabulary, config.MaxTokens);
        }
        catch (Exception e) when (e is not EmbeddingModelException)
        {
            throw new EmbeddingModelException($"Cannot read the vocabulary {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Token ids of <paramref name="text"/> as the model takes them: [CLS] tokens… [SEP], truncated
    /// to <see cref="MaxTokens"/> in all.
    /// </summary>
    public int[] Encode(string text)
    {
        var body = _bert.EncodeToIds(
            SeparateLines(text), MaxTokens - 2, addSpecialTokens: false, out _, out _);
        var ids = new int[body.Count + 2];
        ids[0] = ClsId;
        for (int i = 0; i < body.Count; i++)
            ids[i + 1] = body[i];
        ids[^1] = SepId;
        return ids;
    }

    /// <summary>The vocabulary entry of a token id, for diagnostics.</summary>
    public string TokenText(int id) => (uint)id < (uint)_vocabulary.Length ? _vocabulary[id] : $"<{id}>";

    /// <summary>Turns newlines and tabs into spaces so that the words they separate stay apart.</summary>
    public static string SeparateLines(string text) =>
        text.AsSpan().IndexOfAny('\n', '\r', '\t') < 0
            ? text
            : text.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');
}
