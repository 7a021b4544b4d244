using PaperLens.Core;
using PaperLens.Sources.Drafts;

namespace PaperLens.Tests.Drafts;

/// <summary>Inputs on which the fuzzer (tests/PaperLens.Fuzz) or the hostile tries made a draft parser throw.</summary>
public class DraftFuzzFindingsTests
{
    [Fact]
    public void Markdown_cursor_between_at_and_brace_is_no_citation_site()
    {
        const string text = "See -@{ and more.";
        Assert.Null(DraftParser.SiteAt(text, 6, DraftKind.Markdown));
        Assert.Equal("", DraftParser.SiteAt(text, 7, DraftKind.Markdown)!.Prefix);
    }
}
