using PaperLens.Features.Bib;
using static PaperLens.Tests.Features.Bib.BibText;

namespace PaperLens.Tests.Features.Bib;

public class BibDiagnosticsTests
{
    private const string Workspace = """
        %! main.bib
        @article{shared, title = {One}}
        @article{local, title = {Two}}
        @article{local, title = {Two again}}
        @article{broken, title = {x}
        %! other.bib
        @misc{Shared, title = {Other}}
        @misc{unique, title = {U}}
        %! clean.bib
        @misc{clean, title = {C}}
        """;

    private static List<BibDocument> Parse(Fixture fixture, params string[] order) =>
        order.Select(name => BibDocument.Parse("/ws/" + name, fixture.Files[name])).ToList();

    [Fact]
    public void Reports_syntax_errors_and_duplicates_within_and_across_files()
    {
        var fixture = Fixture.Parse(Workspace);
        var problems = BibDiagnostics.For(Parse(fixture, "main.bib", "other.bib", "clean.bib"));

        Assert.Equal(["/ws/main.bib", "/ws/other.bib", "/ws/clean.bib"], problems.Keys);
        Assert.Empty(problems["/ws/clean.bib"]);

        var main = problems["/ws/main.bib"];
        Assert.Equal(2, main.Count);
        Assert.Equal((Severity.Warning, BibDiagnostics.DuplicateKeyCode), (main[0].Severity, main[0].Code));
        Assert.Equal(RangeOf(fixture.Files["main.bib"], "local", 1), main[0].Range.Range);
        Assert.Equal("duplicate key 'local', first defined at line 2", main[0].Message);
        Assert.Equal((Severity.Error, BibDiagnostics.SyntaxCode), (main[1].Severity, main[1].Code));
        Assert.Equal(3, main[1].Range.Range.Start.Line);
        Assert.All(main, p => Assert.Equal("/ws/main.bib", p.Range.Path));

        var other = Assert.Single(problems["/ws/other.bib"]);
        Assert.Equal(RangeOf(fixture.Files["other.bib"], "Shared"), other.Range.Range);
        Assert.Equal("/ws/other.bib", other.Range.Path);
        Assert.Equal("duplicate key 'Shared', also defined in main.bib:1", other.Message);
    }

    [Fact]
    public void Across_files_the_earlier_file_in_the_list_keeps_the_key()
    {
        var problems = BibDiagnostics.For(Parse(Fixture.Parse(Workspace), "other.bib", "main.bib"));

        Assert.Empty(problems["/ws/other.bib"]);
        var shared = Assert.Single(problems["/ws/main.bib"], p => p.Message.Contains("other.bib"));
        Assert.Equal("duplicate key 'shared', also defined in other.bib:1", shared.Message);
        Assert.Equal(0, shared.Range.Range.Start.Line);
    }

    [Fact]
    public void A_key_repeated_in_one_file_and_defined_in_another_is_reported_once_per_copy()
    {
        var fixture = Fixture.Parse("""
            %! a.bib
            @misc{k, title={1}}
            %! b.bib
            @misc{k, title={2}}
            @misc{k, title={3}}
            """);
        var problems = BibDiagnostics.For(Parse(fixture, "a.bib", "b.bib"));

        Assert.Empty(problems["/ws/a.bib"]);
        Assert.Equal(
            ["duplicate key 'k', also defined in a.bib:1", "duplicate key 'k', first defined at line 1"],
            problems["/ws/b.bib"].Select(p => p.Message));
    }
}
