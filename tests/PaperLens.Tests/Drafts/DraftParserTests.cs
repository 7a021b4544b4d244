using PaperLens.Core;
using PaperLens.Sources.Drafts;

namespace PaperLens.Tests.Drafts;

public class DraftParserTests
{
    private static string[] Keys(string text, DraftKind kind) => DraftParser.Parse(text, kind).AllKeys.Select(k => k.Key).ToArray();

    [Fact]
    public void Latex_citation_commands_with_stars_options_comments_and_line_breaks()
    {
        const string tex = """
            \cite{a} \citep*[see][p.~3]{b, c} \citet{d}
            \parencite[12]{e}\textcite{f} \autocite{g} \footcite{h} \fullcite{i} \nocite{j}
            \citealp{k}\citealt{l}\citeauthor{m}\citeyear{n}
            \cites[1]{o}[2]{p,q}
            \cite{r,   % the rest of this line is a comment, x
              s,
              t}
            % \cite{commented}
            \% not a comment \cite{u}
            """;
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u"], Keys(tex, DraftKind.Latex));
    }

    [Fact]
    public void Latex_key_spans_point_at_the_keys()
    {
        const string tex = "x \\citep[p.~3]{alpha, beta}";
        var keys = DraftParser.Parse(tex, DraftKind.Latex).AllKeys.ToList();
        Assert.All(keys, k => Assert.Equal(k.Key, tex.Substring(k.Span.Start, k.Span.Length)));
        Assert.Equal("citep", DraftParser.Parse(tex, DraftKind.Latex).Citations[0].Command);
    }

    [Fact]
    public void Latex_bibliography_files()
    {
        var info = DraftParser.Parse("\\bibliography{refs,more/other.bib}\n\\addbibresource[label=x]{extra.bib}", DraftKind.Latex);
        Assert.Equal(["refs.bib", "more/other.bib", "extra.bib"], info.BibliographyFiles);
    }

    [Fact]
    public void Pandoc_citations_in_brackets_running_text_and_braces()
    {
        const string md = """
            Dense retrieval [@karpukhin2020; @xiong2021, p. 3] and [-@lin2021].
            As @doe99. says, and @{weird key:2020} too.
            """;
        Assert.Equal(["karpukhin2020", "xiong2021", "lin2021", "doe99", "weird key:2020"], Keys(md, DraftKind.Markdown));
        var group = DraftParser.Parse(md, DraftKind.Markdown).Citations[0];
        Assert.Equal(2, group.Keys.Count);
        Assert.Equal("[@karpukhin2020; @xiong2021, p. 3]", md.Substring(group.Span.Start, group.Span.Length));
    }

    [Fact]
    public void A_citation_in_an_inline_footnote_is_an_in_text_one_not_a_group_of_the_footnote()
    {
        const string md = "Models have low bias.^[See Section 1.2.5 of @fes for a discussion.] Others [see @apm, ch. 2].\n";
        var citations = DraftParser.Parse(md, DraftKind.Markdown).Citations;
        Assert.Equal(["fes", "apm"], citations.SelectMany(c => c.Keys).Select(k => k.Key).ToList());
        Assert.Equal("@fes", md.Substring(citations[0].Span.Start, citations[0].Span.Length));
        Assert.Equal("[see @apm, ch. 2]", md.Substring(citations[1].Span.Start, citations[1].Span.Length));
    }

    [Fact]
    public void Pandoc_citations_are_never_found_in_code_urls_or_email()
    {
        const string md = """
            Write to jane@example.org or see https://example.org/@user and <https://x.org/@a>.
            Inline `@code` and [link](https://t.co/@b) are not citations.

            ```
            @fenced
            ```

                @indented

            But @real is.
            """;
        Assert.Equal(["real"], Keys(md, DraftKind.Markdown));
    }

    [Fact]
    public void Pandoc_bibliography_from_front_matter()
    {
        Assert.Equal(["refs.bib"], DraftParser.Parse("---\ntitle: X\nbibliography: refs.bib\n---\n\nText @a.", DraftKind.Markdown).BibliographyFiles);
        Assert.Equal(["a.bib", "b.json"], DraftParser.Parse("---\nbibliography:\n  - a.bib\n  - \"b.json\"\n---\nText", DraftKind.Markdown).BibliographyFiles);
        Assert.Equal(["a.bib", "b.bib"], DraftParser.Parse("---\nbibliography: [a.bib, 'b.bib']\n---\n", DraftKind.Markdown).BibliographyFiles);
    }

    [Theory]
    [InlineData("%! a.tex\n\\cite{|}", "", null)]
    [InlineData("%! a.tex\n\\citep[p.~3]{smi|th}", "smi", null)]
    [InlineData("%! a.tex\n\\cite{known, ne|}", "ne", "known")]
    [InlineData("%! a.tex\n\\textcite{a,\n  |}", "", "a")]
    [InlineData("%! a.md\nSee [@|]", "", null)]
    [InlineData("%! a.md\nSee [@known; @ka|rp]", "ka", "known")]
    [InlineData("%! a.md\nAs @lin| says", "lin", null)]
    [InlineData("%! a.md\nLow bias.^[See @known and @fe|s for more.]", "fe", null)]
    public void Citation_site_at_the_cursor(string source, string prefix, string? other)
    {
        var fixture = Fixture.Parse(source);
        var kind = DraftText.KindOf(fixture.CursorFile!);
        var site = DraftParser.SiteAt(fixture.CursorText, fixture.CursorOffset, kind);
        Assert.NotNull(site);
        Assert.Equal(prefix, site.Prefix);
        Assert.Equal(other is null ? [] : new[] { other }, site.OtherKeys);
    }

    [Theory]
    [InlineData("%! a.tex\n\\section{Intro|}")]
    [InlineData("%! a.tex\n\\cite{a} and |")]
    [InlineData("%! a.md\nmail jane@exa|mple.org")]
    [InlineData("%! a.md\n`code @x|`")]
    public void No_citation_site_outside_citations(string source)
    {
        var fixture = Fixture.Parse(source);
        Assert.Null(DraftParser.SiteAt(fixture.CursorText, fixture.CursorOffset, DraftText.KindOf(fixture.CursorFile!)));
    }
}
