using PaperLens.Core;

namespace PaperLens.Tests.Sources;

public class IdentifierAndTitleTests
{
    [Theory]
    [InlineData("10.1145/3292500.3330701", "10.1145/3292500.3330701")]
    [InlineData("https://doi.org/10.1103/PhysRevD.76.013009", "10.1103/physrevd.76.013009")]
    [InlineData("doi:10.1038/NATURE14539.", "10.1038/nature14539")]
    [InlineData("not a doi", null)]
    [InlineData("", null)]
    public void NormalizeDoi(string input, string? expected) => Assert.Equal(expected, PaperIdentifiers.DoiKey(input));

    [Theory]
    [InlineData("2309.12345", "2309.12345")]
    [InlineData("arXiv:1706.03762v5", "1706.03762")]
    [InlineData("0704.0001", "0704.0001")]
    [InlineData("hep-ph/0701001v2", "hep-ph/0701001")]
    [InlineData("math.GT/0309136", "math.gt/0309136")]
    [InlineData("10.1145/3292500", null)]
    public void NormalizeArxivId(string input, string? expected) => Assert.Equal(expected, PaperIdentifiers.NormalizeArxivId(input));

    [Theory]
    [InlineData("http://arxiv.org/abs/2005.14165", "2005.14165")]
    [InlineData("https://arxiv.org/pdf/1706.03762v7.pdf", "1706.03762")]
    [InlineData("https://arxiv.org/abs/hep-ph/0701001", "hep-ph/0701001")]
    [InlineData("https://github.com/huggingface/transformers", null)]
    public void ArxivIdFromUrl(string input, string? expected) => Assert.Equal(expected, PaperIdentifiers.ArxivIdFromUrl(input));

    [Fact]
    public void ArxivIdFromDoi() => Assert.Equal("2005.14165", PaperIdentifiers.ArxivIdFromDoi("10.48550/arXiv.2005.14165"));

    [Theory]
    [InlineData("Transductive Few-Shot Learning: Clustering is All You Need?", "transductive few shot learning clustering is all you need")]
    [InlineData("  {BERT}: Pre-training of Deep\nBidirectional Transformers ", "bert pre training of deep bidirectional transformers")]
    [InlineData("Über die Ähnlichkeit – Straße", "uber die ahnlichkeit strasse")]
    [InlineData("γ-MoD: Mixture-of-Depth", "γ mod mixture of depth")]
    public void NormalizeTitle(string title, string expected) => Assert.Equal(expected, TitleNormalizer.Normalize(title));

    [Theory]
    [InlineData("Pointer Networks", false)]
    [InlineData("Deep Residual Learning", false)]
    [InlineData("Attention is all you need", true)]
    [InlineData("Convergent Graph Solvers ab", true)]
    public void Distinctive(string title, bool expected) =>
        Assert.Equal(expected, TitleNormalizer.IsDistinctive(TitleNormalizer.Normalize(title)));
}
