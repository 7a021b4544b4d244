using PaperLens.Core;
using PaperLens.Features;
using PaperLens.Server.Lsp;
using PaperLens.Server.Lsp.Protocol;

namespace PaperLens.Tests.Lsp;

/// <summary>URIs and draft-named paths under Windows', macOS' and Linux' rules, all checked on any OS.</summary>
public class UriPathTests
{
    [Theory]
    [InlineData("file:///c%3A/Users/Ana/paper.tex")]          // VS Code: lower-case drive, encoded colon
    [InlineData("file:///C:/Users/Ana/paper.tex")]            // Neovim and most other clients
    [InlineData("file:///c:/Users/Ana/./draft/../paper.tex")]
    [InlineData("file://localhost/C:/Users/Ana/paper.tex")]
    [InlineData("file:///C|/Users/Ana/paper.tex")]
    public void Windows_uris_of_one_file_give_one_path(string uri) =>
        Assert.Equal(@"C:\Users\Ana\paper.tex", LspConvert.ToPath(uri, PathRules.Windows));

    [Fact]
    public void Windows_paths_become_uris_that_come_back_as_the_same_path()
    {
        const string path = @"C:\Users\Ana Lee\Thèse (v2)\refs#1.bib";
        var uri = LspConvert.ToUri(path, PathRules.Windows);
        Assert.Equal("file:///C:/Users/Ana%20Lee/Th%C3%A8se%20%28v2%29/refs%231.bib", uri);
        Assert.Equal(path, LspConvert.ToPath(uri, PathRules.Windows));
        Assert.Equal(uri, LspConvert.ToUri(@"c:\Users\Ana Lee\Thèse (v2)\refs#1.bib", PathRules.Windows));
    }

    [Fact]
    public void Windows_unc_shares_keep_their_server()
    {
        Assert.Equal(@"\\lab-nas\papers\refs.bib", LspConvert.ToPath("file://lab-nas/papers/refs.bib", PathRules.Windows));
        Assert.Equal("file://lab-nas/papers/refs.bib", LspConvert.ToUri(@"\\lab-nas\papers\refs.bib", PathRules.Windows));
    }

    [Fact]
    public void Windows_paths_differing_in_case_are_one_file()
    {
        var comparer = PathRules.Windows.Comparer;
        Assert.Equal(@"C:\users\ana\refs.bib", LspConvert.ToPath("file:///c%3A/Users/Ana/Refs.bib", PathRules.Windows), comparer);
    }

    [Theory]
    [InlineData("file:///home/ana/my%20paper.tex", "/home/ana/my paper.tex")]
    [InlineData("file:///home/ana/%C3%A9t%C3%A9/notes.md", "/home/ana/été/notes.md")]
    [InlineData("file:///home/ana//draft/../notes.md", "/home/ana/notes.md")]
    [InlineData("file:///Users/Ana/c%3A/x.tex", "/Users/Ana/c:/x.tex")]
    public void Unix_uris_are_decoded_and_normalized(string uri, string path)
    {
        Assert.Equal(path, LspConvert.ToPath(uri, PathRules.Linux));
        Assert.Equal(path, LspConvert.ToPath(uri, PathRules.MacOS));
    }

    [Fact]
    public void Unix_paths_round_trip_through_uris()
    {
        const string path = "/home/ana/Thèse #2/refs 100%.bib";
        var uri = LspConvert.ToUri(path, PathRules.Linux);
        Assert.Equal("file:///home/ana/Th%C3%A8se%20%232/refs%20100%25.bib", uri);
        Assert.Equal(path, LspConvert.ToPath(uri, PathRules.Linux));
    }

    [Theory]
    [InlineData("untitled:Untitled-1")]
    [InlineData("vscode-notebook-cell:/x.ipynb#cell1")]
    public void Other_schemes_keep_their_uri_as_the_key(string uri)
    {
        Assert.Equal(uri, LspConvert.ToPath(uri, PathRules.Windows));
        Assert.Equal(uri, LspConvert.ToPath(uri, PathRules.Linux));
        Assert.Equal(uri, LspConvert.ToUri(uri, PathRules.Linux));
    }

    [Fact]
    public void MacOS_compares_names_without_case_and_Linux_with_case()
    {
        Assert.Equal("/Users/ana/paper/Refs.bib", "/Users/ana/paper/refs.bib", PathRules.MacOS.Comparer);
        Assert.NotEqual("/home/ana/paper/Refs.bib", "/home/ana/paper/refs.bib", PathRules.Linux.Comparer);
    }

    [Theory]
    [InlineData(@"C:\Users\Ana\paper\main.tex", @"..\refs.bib", @"C:\Users\Ana\refs.bib")]
    [InlineData(@"C:\Users\Ana\paper\main.tex", "../bib/refs.bib", @"C:\Users\Ana\bib\refs.bib")]
    [InlineData(@"C:\Users\Ana\paper\main.tex", @"D:\zotero\library.bib", @"D:\zotero\library.bib")]
    [InlineData(@"c:\Users\Ana\paper\main.tex", "refs.bib", @"C:\Users\Ana\paper\refs.bib")]
    [InlineData(@"C:\main.tex", @"..\refs.bib", @"C:\refs.bib")]
    public void Windows_drafts_resolve_their_bibliographies(string draft, string named, string expected) =>
        Assert.Equal(expected, PathRules.Windows.ResolveBeside(draft, named));

    [Theory]
    [InlineData("/home/ana/paper/main.tex", @"..\refs.bib", "/home/ana/refs.bib")]
    [InlineData("/home/ana/paper/main.tex", " ../bib/refs.bib ", "/home/ana/bib/refs.bib")]
    [InlineData("/home/ana/paper/main.tex", "/home/ana/Zotero/library.bib", "/home/ana/Zotero/library.bib")]
    [InlineData("/main.tex", "refs.bib", "/refs.bib")]
    public void Unix_drafts_resolve_their_bibliographies_backslashes_included(string draft, string named, string expected) =>
        Assert.Equal(expected, PathRules.Linux.ResolveBeside(draft, named));

    [Fact]
    public void A_latex_draft_naming_a_parent_folder_bibliography_with_a_backslash_finds_it()
    {
        var windows = new DraftDocument(@"C:\Users\Ana\paper\main.tex", "\\bibliography{..\\refs}\n\\cite{a}", 1);
        Assert.Equal([@"C:\Users\Ana\refs.bib"], windows.BibliographyPathsUnder(PathRules.Windows));
        var here = new DraftDocument("/home/ana/paper/main.tex", "\\bibliography{..\\refs,more/other}\n\\cite{a}", 1);
        Assert.Equal(["/home/ana/refs.bib", "/home/ana/paper/more/other.bib"], here.BibliographyPathsUnder(PathRules.Linux));
    }

    [Fact]
    public async Task The_server_finds_a_bibliography_named_with_a_backslash()
    {
        var fixture = Fixture.Parse("""
            %! paper/main.tex
            \documentclass{article}
            \begin{document}
            Rotary position embeddings \cite{su2021roformer}, and \cite{missing2020}.
            \bibliography{..\refs}
            \end{document}
            %! refs.bib
            @article{su2021roformer, title = {RoFormer: Enhanced Transformer with Rotary Position Embedding}, author = {Su, Jianlin}, year = 2021}
            """);
        await using var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync(new { index = new { path = client.Folder.Combine(".index", "index.db") } });
        await client.OpenAsync("paper/main.tex");
        var undefined = Assert.Single(await client.DiagnosticsFor("paper/main.tex", d => d.Length > 0));
        Assert.Equal("Undefined citation key 'missing2020': not in refs.bib", undefined.Message);
        var definition = await client.Request<Location[]>("textDocument/definition",
            new { textDocument = new { uri = client.Uri("paper/main.tex") }, position = new Position(2, 36) });
        Assert.Equal(client.Uri("refs.bib"), Assert.Single(definition).Uri);
    }
}
