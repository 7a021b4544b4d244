using PaperLens.Core;
using PaperLens.Sources.Drafts;

namespace PaperLens.Tests.Drafts;

/// <summary>Citation commands of every package, the user's own macros, and drafts typed half-way.</summary>
public class CitationSyntaxTests
{
    private static string[] Keys(string text, DraftKind kind, IReadOnlySet<string>? macros = null) =>
        DraftParser.Parse(text, kind, macros).AllKeys.Select(k => k.Key).ToArray();

    [Theory]
    [InlineData(@"\newcite{k}")] // ACL
    [InlineData(@"\shortcite{k}")]
    [InlineData(@"\citeA{k}")] // apacite
    [InlineData(@"\citeNP[p.~2]{k}")]
    [InlineData(@"\citealias{k}")] // natbib
    [InlineData(@"\Citet{k}")]
    [InlineData(@"\citep*[see][]{k}")]
    [InlineData(@"\citenum{k}")]
    [InlineData(@"\smartcite{k}")] // biblatex
    [InlineData(@"\supercite{k}")]
    [InlineData(@"\fullcite{k}")]
    [InlineData(@"\footcitetext{k}")]
    [InlineData(@"\citetitle*{k}")]
    [InlineData(@"\Citeauthor*{k}")]
    [InlineData(@"\volcite[see]{3}[45--47]{k}")]
    [InlineData(@"\Pvolcite{2}{k}")]
    public void Every_package_s_citation_commands_cite(string tex) =>
        Assert.Equal(["k"], Keys("Text " + tex + " more.", DraftKind.Latex));

    [Fact]
    public void Multi_citations_with_notes_and_volume_citations_read_only_keys()
    {
        Assert.Equal(["a", "b", "c"], Keys(@"\cites(see)(and)[p.~1]{a}[2]{b,c}", DraftKind.Latex));
        Assert.Equal(["a", "b"], Keys(@"\volcites{1}[3]{a}{2}{b}", DraftKind.Latex));
        var site = LatexDraftParser.SiteAt(@"\volcite{12}{vas", @"\volcite{12}{vas".Length);
        Assert.Equal("vas", site!.Prefix);
        Assert.Null(LatexDraftParser.SiteAt(@"\volcite{1", @"\volcite{1".Length)); // the volume is no key
    }

    [Fact]
    public void The_user_s_own_macros_cite_when_configured()
    {
        const string tex = @"See \mycite{a} and \citeprobably{b}.";
        Assert.Empty(Keys(tex, DraftKind.Latex));
        Assert.Equal(["a"], Keys(tex, DraftKind.Latex, new HashSet<string> { "mycite" }));
        Assert.NotNull(DraftParser.SiteAt(@"\mycite{x", 9, DraftKind.Latex, citeCommands: new HashSet<string> { "mycite" }));
        Assert.Null(DraftParser.SiteAt(@"\mycite{x", 9, DraftKind.Latex));
    }

    [Fact]
    public void An_unclosed_cite_stops_at_a_line_break_before_a_command_or_a_blank_line()
    {
        const string tex = "Scaling laws \\cite{\n\\cite{undefinedkey} hold.\n\nBut \\citep{a,\n\nnext paragraph words}";
        var info = DraftParser.Parse(tex, DraftKind.Latex);
        Assert.Equal(["undefinedkey", "a"], info.AllKeys.Select(k => k.Key));
        Assert.Equal(3, info.Citations.Count);
        Assert.Equal(["b", "c"], Keys("\\cite{b,\n  c}", DraftKind.Latex)); // a list over lines still reads
    }

    [Fact]
    public void Macro_parameters_in_a_newcommand_are_no_keys()
    {
        const string tex = @"\newcommand{\twocite}[2]{\cite{#1-#2}} \newcommand{\mc}[1]{\citep{#1}} \cite{real}";
        Assert.Equal(["real"], Keys(tex, DraftKind.Latex));
    }

    [Theory]
    [InlineData("%! a.tex\nText \\cite{|. More.", "", 0)] // unclosed: nothing past the cursor
    [InlineData("%! a.tex\nText \\cite{vas|wani: more", "vas", 3)]
    [InlineData("%! a.tex\nText \\cite{vas|wani} more", "vas", 7)] // closed: the whole key
    [InlineData("%! a.md\nText [@|. More.", "", 0)]
    [InlineData("%! a.md\nText [@ab|-cd; more", "ab", 2)]
    [InlineData("%! a.md\nText [@ab|cd]. More.", "ab", 4)]
    [InlineData("%! a.md\nAs @ab|: said", "ab", 2)]
    public void The_replace_range_covers_the_typed_prefix_and_never_text_the_user_did_not_type(string source, string prefix, int length)
    {
        var fixture = Fixture.Parse(source);
        var site = DraftParser.SiteAt(fixture.CursorText, fixture.CursorOffset, DraftText.KindOf(fixture.CursorFile!));
        Assert.NotNull(site);
        Assert.Equal(prefix, site.Prefix);
        Assert.Equal(fixture.CursorOffset - prefix.Length, site.ReplaceSpan.Start);
        Assert.Equal(length, site.ReplaceSpan.Length);
    }

    [Fact]
    public void A_cursor_between_at_and_brace_is_an_empty_key()
    {
        var site = DraftParser.SiteAt("See -@{ and more.", 6, DraftKind.Markdown);
        Assert.NotNull(site);
        Assert.Equal("", site.Prefix);
        Assert.Equal(new TextSpan(6, 0), site.ReplaceSpan);
    }

    [Fact]
    public void Pandoc_citations_inside_html_blocks_count_but_not_inside_code()
    {
        const string md = """
            <details>
            <summary>Why</summary>
            Because [@indetails].
            </details>

            <div class="caption">Figure 1: from [@incaption].</div>

            <figure><img src="x.png"><figcaption>After [@infigcaption]</figcaption></figure>

            <p>Shown by [@inp] and <a href="https://x.org/@notakey">here</a>.</p>

            <div>

                Indented inside the div [@indented].

            </div>

            <pre>
            [@inpre]
            </pre>

            ```
            [@fenced]
            ```

            Text.

                [@indentedcode]
            """;
        Assert.Equal(["indetails", "incaption", "infigcaption", "inp", "indented"], Keys(md, DraftKind.Markdown));
        int at = md.IndexOf("[@incaption", StringComparison.Ordinal) + 2;
        Assert.NotNull(DraftParser.SiteAt(md, at, DraftKind.Markdown));
    }

    [Theory]
    [InlineData(128)]
    [InlineData(400)]
    public void A_draft_markdig_refuses_still_gets_citations_from_the_fallback_scan(int depth)
    {
        string quoted = new string('>', depth) + " Deep [@deep].\n\n```\n[@fenced]\n```\n\nSee `@code` and [@shallow; @other].";
        Assert.Equal(["deep", "shallow", "other"], Keys(quoted, DraftKind.Markdown));
        string brackets = string.Concat(Enumerable.Repeat("[@", 6250)) + "\n\nText [@real].";
        Assert.Contains("real", Keys(brackets, DraftKind.Markdown));
        Assert.NotNull(DraftParser.SiteAt(brackets, brackets.Length - 2, DraftKind.Markdown));
    }
}
