using PaperLens.Embedding;

namespace PaperLens.Tests.Embedding;

/// <summary>The workarounds for Microsoft.ML.Tokenizers' BertTokenizer; needs only vocab.txt.</summary>
public class ModelTokenizerTests
{
    private static readonly ModelTokenizer Tokenizer =
        ModelTokenizer.Load(ModelConfig.Load(ModelLocator.DefaultModelDirectory()!));

    private static string[] Tokens(string text) =>
        Tokenizer.Encode(text).Select(Tokenizer.TokenText).ToArray();

    [Fact]
    public void Wraps_tokens_in_cls_and_sep()
    {
        Assert.Equal(["[CLS]", "hello", "world", "[SEP]"], Tokens("Hello world"));
    }

    [Theory]
    [InlineData("$")]
    [InlineData("+")]
    [InlineData("<")]
    [InlineData("=")]
    [InlineData(">")]
    [InlineData("^")]
    [InlineData("`")]
    [InlineData("|")]
    [InlineData("~")]
    public void Keeps_symbols_the_library_would_drop(string symbol)
    {
        Assert.Equal(["[CLS]", "a", symbol, "b", "[SEP]"], Tokens($"a{symbol}b"));
    }

    [Fact]
    public void Keeps_a_formula_intact()
    {
        Assert.Equal(["[CLS]", "$", "x", "+", "y", "=", "z", "$", "[SEP]"], Tokens("$x+y=z$"));
    }

    [Theory]
    [InlineData("graph\nneural")]
    [InlineData("graph\r\nneural")]
    [InlineData("graph\tneural")]
    public void Splits_words_separated_only_by_a_line_break_or_tab(string text)
    {
        Assert.Equal(["[CLS]", "graph", "neural", "[SEP]"], Tokens(text));
    }

    [Fact]
    public void Lowercases_and_strips_accents()
    {
        Assert.Equal(Tokens("cafe resume"), Tokens("Café Résumé"));
    }

    [Fact]
    public void Truncates_to_max_tokens_keeping_cls_and_sep()
    {
        var ids = Tokenizer.Encode(string.Join(" ", Enumerable.Repeat("retrieval", 2000)));
        Assert.Equal(512, Tokenizer.MaxTokens);
        Assert.Equal(512, ids.Length);
        Assert.Equal(Tokenizer.ClsId, ids[0]);
        Assert.Equal(Tokenizer.SepId, ids[^1]);
        Assert.All(ids[1..^1], id => Assert.Equal("retrieval", Tokenizer.TokenText(id)));
    }
}
