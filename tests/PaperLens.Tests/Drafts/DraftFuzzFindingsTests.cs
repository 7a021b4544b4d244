using PaperLens.Core;
using PaperLens.Sources.Drafts;

namespace PaperLens.Tests.Drafts;

/// <summary>Inputs on which the fuzzer (tests/PaperLens.Fuzz) or the issue's hostile tries made a draft parser throw.</summary>
public class DraftFuzzFindingsTests
{
    [Fact]
    public void Markdown_cursor_after_at_brace_is_an_empty_key_inside_the_braces()
    {
        // The cursor between "@" and "{" is CitationSyntaxTests' case; one step on, it is inside the braces.
        const string text = "See -@{ and more.";
        var site = DraftParser.SiteAt(text, 7, DraftKind.Markdown)!;
        Assert.Equal("", site.Prefix);
        Assert.True(site.ReplaceSpan.Start >= 0 && site.ReplaceSpan.Length >= 0);
    }

    [Fact]
    public void Markdown_nested_beyond_Markdigs_depth_limit_still_has_its_citations()
    {
        var text = new string('>', 128) + " see [@smith2020; @doe99] and @lee21";
        Assert.Equal(["smith2020", "doe99", "lee21"], DraftParser.Parse(text, DraftKind.Markdown).AllKeys.Select(k => k.Key));
        Assert.Equal("smi", DraftParser.SiteAt(text, text.IndexOf("smith", StringComparison.Ordinal) + 3, DraftKind.Markdown)!.Prefix);
    }
}
