using PaperLens.Sources;

namespace PaperLens.Tests.Sources;

/// <summary>The glob syntax users know from VS Code settings: *, **, ?, [...] and {a,b}.</summary>
public class PathExpanderTests
{
    [Theory]
    [InlineData("sigir-201[6-9].bib", new[] { "sigir-2016.bib", "sigir-2019.bib" })]
    [InlineData("sigir-201[!6-8].bib", new[] { "sigir-2015.bib", "sigir-2019.bib" })]
    [InlineData("{acl,emnlp}/*.bib", new[] { "acl/a.bib", "emnlp/e.bib" })]
    [InlineData("**/?.bib", new[] { "acl/a.bib", "emnlp/e.bib", "nested/deep/n.bib" })]
    [InlineData("sigir-20??.{bib,json}", new[] { "sigir-2015.bib", "sigir-2016.bib", "sigir-2019.bib", "sigir-2020.json" })]
    [InlineData("literal[.bib", new[] { "literal[.bib" })]
    public void Globs_match_as_in_VS_Code(string pattern, string[] expected)
    {
        using var folder = new TempDirectory();
        foreach (var name in new[] { "sigir-2015.bib", "sigir-2016.bib", "sigir-2019.bib", "sigir-2020.json", "acl/a.bib", "emnlp/e.bib", "nested/deep/n.bib", "literal[.bib" })
            folder.File(name, "@misc{x, title = {X}}");
        var found = PathExpander.Glob(Path.Combine(folder.Path, pattern)).Select(f => Path.GetRelativePath(folder.Path, f)).Order(StringComparer.Ordinal);
        Assert.Equal(expected.Order(StringComparer.Ordinal), found);
        Assert.All(expected, e => Assert.True(PathExpander.Matches(Path.Combine(folder.Path, pattern), folder.Combine(e))));
    }
}
