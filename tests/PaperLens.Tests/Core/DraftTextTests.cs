using PaperLens.Core;

namespace PaperLens.Tests.Core;

public class DraftTextTests
{
    private const string Latex = """
        \section{Introduction}

        Large language models are trained with a fixed context window. % a comment about \cite{x}
        Extending it with RoPE scaling \citep[see][p.~3]{chen2023, peng2023}
        keeps perplexity low~\cite{su2021}.

        \begin{figure}
        \end{figure}
        """;

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Latex_paragraph_at_any_of_its_lines(int line)
    {
        var p = DraftText.ParagraphAt(Latex, line, DraftKind.Latex);
        Assert.Equal((3, 5), (p.StartLine, p.EndLine));
        Assert.Equal("Large language models are trained with a fixed context window. Extending it with RoPE scaling keeps perplexity low.", p.Text);
    }

    [Fact]
    public void Latex_preamble_arguments_section_titles_and_spaces_left_by_citations_are_dropped()
    {
        const string tex = """
            \documentclass[11pt]{article}
            \usepackage[utf8]{inputenc}
            \begin{document}
            \section{Related {W}ork}\label{sec:related}
            Scaling laws \cite{kaplan2020}, as measured, hold \citep{a} .
            """;
        Assert.Equal("Scaling laws, as measured, hold.", DraftText.ParagraphAt(tex, 5, DraftKind.Latex).Text);
    }

    [Fact]
    public void Markdown_citations_links_and_markup_are_stripped()
    {
        const string md = """
            # Title

            **Dense retrieval** beats BM25 [@karpukhin2020; @xiong2021, p. 3] as
            @lin2021 shows, see [the survey](https://example.org/x).
            """;
        var p = DraftText.ParagraphAt(md, 4, DraftKind.Markdown);
        Assert.Equal("Dense retrieval beats BM25 as shows, see the survey.", p.Text);
        Assert.Equal("Dense retrieval beats BM25, as shown.", DraftText.ParagraphAt("Dense retrieval beats BM25 [@a], as shown [@b].", 1, DraftKind.Markdown).Text);
    }

    [Theory]
    [InlineData("Long contexts need RoPE scaling \\cite{")]
    [InlineData("Long contexts need RoPE scaling \\cite{smi")]
    [InlineData("Long contexts need RoPE scaling \\citep[p.~3]{a, smi}")]
    [InlineData("Long contexts need RoPE scaling [@smi")]
    [InlineData("Long contexts need RoPE scaling [@a; @smi]")]
    public void The_context_does_not_change_while_a_key_is_typed(string paragraph)
    {
        var kind = paragraph.Contains('@') ? DraftKind.Markdown : DraftKind.Latex;
        Assert.Equal("Long contexts need RoPE scaling", DraftText.ParagraphAt(paragraph, 1, kind).Text.TrimEnd('[', ' '));
    }

    [Fact]
    public void Lines_past_the_end_are_clamped()
    {
        Assert.Equal(3, DraftText.ParagraphAt("one\n\nlast paragraph", 99, DraftKind.Markdown).StartLine);
        Assert.Equal("", DraftText.ParagraphAt("", 1, DraftKind.Markdown).Text);
    }
}
