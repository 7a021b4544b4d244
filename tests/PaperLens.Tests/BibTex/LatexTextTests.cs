using PaperLens.Core;

namespace PaperLens.Tests.BibTex;

public class LatexTextTests
{
    [Theory]
    [InlineData(@"B\'{e}atrice", "Béatrice")]
    [InlineData(@"{\""u}ber", "über")]
    [InlineData(@"\""{u}", "ü")]
    [InlineData(@"{\'e}t{\'e}", "été")]
    [InlineData(@"Fran\c{c}ois", "François")]
    [InlineData(@"Fran{\c c}ois", "François")]
    [InlineData(@"\v{S}koda \v s", "Škoda š")]
    [InlineData(@"Espa\~na \~{n}", "España ñ")]
    [InlineData(@"H\^otel \`a", "Hôtel à")]
    [InlineData(@"\=a \.z \u{g} \H{o} \r{a} \k{a}", "ā ż ğ ő å ą")]
    [InlineData(@"Mart{\'\i}nez \'{\i} \""{\i}", "Martínez í ï")]
    [InlineData(@"Stra\ss e, \o, \O, \ae, \AE, \oe, \aa, \AA, \l, \L", "Straße, ø, Ø, æ, Æ, œ, å, Å, ł, Ł")]
    [InlineData(@"{\ss}", "ß")]
    [InlineData(@"Gau\ss{}ian", "Gaußian")]
    public void Converts_accents_and_special_letters(string latex, string expected) =>
        Assert.Equal(expected, LatexText.ToUnicode(latex));

    [Theory]
    [InlineData(@"Smith \& Wesson", "Smith & Wesson")]
    [InlineData(@"50\% \$ \# a\_b \{x\}", "50% $ # a_b {x}")]
    [InlineData("pages 1--8", "pages 1–8")]
    [InlineData("yes---no", "yes—no")]
    [InlineData("a-b", "a-b")]
    [InlineData("``quoted''", "“quoted”")]
    [InlineData("it's", "it's")]
    [InlineData("Fig.~1", "Fig. 1")]
    [InlineData(@"\textit{Deep} \emph{learning} \textbf{now} \mathrm{x}", "Deep learning now x")]
    [InlineData("Scaling {BERT} to {{GPU}s}", "Scaling BERT to GPUs")]
    [InlineData(@"$O(n \log n)$ time", "O(n log n) time")]
    [InlineData(@"$\alpha$-divergence $\le$ 2", "α-divergence ≤ 2")]
    [InlineData(@"5 \texttimes{} 5", "5 × 5")]
    [InlineData(@"\unknowncommand{kept} text", "kept text")]
    [InlineData("  lots \n\t of   space  ", "lots of space")]
    [InlineData("John Wiley &amp; Sons", "John Wiley & Sons")]
    [InlineData("R&D", "R&D")]
    [InlineData("R<sup>2</sup>DF for <i>fast</i> search<p>New paragraph", "R2DF for fast search New paragraph")]
    [InlineData("a < b and c<d> e", "a < b and c<d> e")]
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    public void Converts_escapes_dashes_quotes_commands_and_space(string latex, string expected) =>
        Assert.Equal(expected, LatexText.ToUnicode(latex));

    [Fact]
    public void Result_is_NFC_normalised()
    {
        string result = LatexText.ToUnicode(@"\'e and " + "e\u0301");
        Assert.True(result.IsNormalized(System.Text.NormalizationForm.FormC));
        Assert.Equal("é and é", result);
    }

    [Fact]
    public void Tolerates_broken_latex()
    {
        Assert.Equal("ab", LatexText.ToUnicode(@"{a}}b{"));
        Assert.Equal("x", LatexText.ToUnicode(@"x\"));
        Assert.Equal("~", LatexText.ToUnicode(@"\~{}"));
        Assert.Equal("á", LatexText.ToUnicode(@"\'{a"));
    }
}
