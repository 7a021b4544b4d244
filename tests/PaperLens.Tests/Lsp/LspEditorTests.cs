using PaperLens.Server.Lsp.Protocol;
using PaperLens.Tests.Sources;
using Range = PaperLens.Server.Lsp.Protocol.Range;

namespace PaperLens.Tests.Lsp;

/// <summary>The editor experience through LSP: custom citation macros, completion rows, code actions from any client.</summary>
public class LspEditorTests
{
    private const string Workspace = """
        %! paper.tex
        \documentclass{article}
        \begin{document}
        Large language models are trained with a fixed context window, and extending the context
        window of RoPE-based models to longer inputs needs length extrapolation \newcite{|}

        Attention \mycite{vaswani2017atention} works.
        \bibliography{refs}
        \end{document}
        %! refs.bib
        @inproceedings{vaswani2017attention,
          title = {Attention Is All You Need},
          author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki},
          booktitle = {NeurIPS},
          year = {2017}
        }
        """;

    private static async Task<(LspTestClient Client, Fixture Fixture)> Start(string workspace = Workspace, object? extra = null)
    {
        var fixture = Fixture.Parse(workspace);
        var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync(new
        {
            corpus = new { paths = new[] { SourceTestSupport.SampleListing } },
            index = new { path = client.Folder.Combine(".index", "index.db") },
            latex = new { citeCommands = new[] { "\\mycite" } },
            clientCommands = extra,
        });
        foreach (var name in fixture.Files.Keys) await client.OpenAsync(name);
        return (client, fixture);
    }

    [Fact]
    public async Task Newcite_completes_and_a_configured_macro_gets_diagnostics_until_the_setting_drops_it()
    {
        var (client, fixture) = await Start();
        await using var _ = client;
        var list = await client.CompleteAsync(fixture);
        Assert.NotEmpty(list!.Items);
        var tex = await client.DiagnosticsFor("paper.tex", d => d.Length > 0);
        Assert.Contains("vaswani2017atention", Assert.Single(tex).Message);

        await client.Notify("workspace/didChangeConfiguration", new { settings = new { paperlens = new { latex = new { citeCommands = Array.Empty<string>() } } } });
        Assert.Empty(await client.DiagnosticsFor("paper.tex", d => d.Length == 0));
    }
}
