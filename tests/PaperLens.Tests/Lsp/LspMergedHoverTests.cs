using PaperLens.Server.Lsp.Protocol;

namespace PaperLens.Tests.Lsp;

/// <summary>A title-only .bib entry whose paper the index merged with a corpus record (same title and year): the hover has the abstract.</summary>
public class LspMergedHoverTests
{
    [Fact]
    public async Task Hover_on_a_title_only_entry_merged_in_the_index_shows_the_corpus_abstract_and_says_where_it_came_from()
    {
        using var zotero = new TempDirectory();
        var library = zotero.File("library.bib", """
            @article{jaderbergPopulation2017, title = {Population Based Training of Neural Networks}, author = {Jaderberg, Max}, year = 2017,
              abstract = {Neural networks dominate the modern machine learning landscape, but their training and success still suffer from sensitivity to hyperparameters.}}
            """);
        var fixture = Fixture.Parse("""
            %! paper.tex
            Schedules found while training \cite{jaderberg2017population}.
            \bibliography{refs}
            %! refs.bib
            @article{jaderberg2017population, title = {Population Based Training of Neural Networks}, author = {Jaderberg, Max and Dalibard, Valentin}, year = 2017}
            """);
        await using var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync(new { corpus = new { paths = new[] { library } }, index = new { path = client.Folder.Combine(".index", "index.db") } });
        await client.OpenAsync("paper.tex");

        var hover = await client.Request<Hover>("textDocument/hover", new { textDocument = new { uri = client.Uri("paper.tex") }, position = new Position(0, 40) });
        Assert.Contains("Neural networks dominate the modern machine learning landscape", hover.Contents.Value);
        Assert.Contains("refs.bib:1", hover.Contents.Value);
        Assert.Contains("abstract from the index, where this entry is merged with the same paper from another file", hover.Contents.Value);
    }
}
