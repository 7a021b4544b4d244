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
        @article{cont2020, title = {Graph Things}, author = {Cont, Rama}, year = {2020}}
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

    [Fact]
    public async Task Completion_rows_read_surname_year_and_title_with_a_short_source_and_no_cut()
    {
        // The sentence names the long-titled corpus paper's topic, so that it is among the rows whatever the weights.
        var (client, fixture) = await Start(Workspace.Replace("needs length extrapolation", "needs length extrapolation of self-attention (attention is all you need), as does adapting a large language model to Russian with learned embedding propagation"));
        await using var _ = client;
        var list = await client.CompleteAsync(fixture);
        var bib = list!.Items.Single(i => i.Label == "vaswani2017attention");
        Assert.Equal("Vaswani et al. 2017 — Attention Is All You Need", bib.Detail);
        Assert.Equal(" Vaswani et al. 2017 — Attention Is All You Need", bib.LabelDetails!.Detail);
        Assert.Equal("refs.bib", bib.LabelDetails.Description);
        var corpus = Assert.Single(list.Items, i => i.Detail!.StartsWith("Facilitating large language model"));
        Assert.Equal("Facilitating large language model Russian adaptation with Learned Embedding Propagation", corpus.Detail); // 87 characters, whole
        Assert.Equal("corpus", corpus.LabelDetails!.Description);
        Assert.Matches("^facilitating-[a-z0-9]{3}$", corpus.Label);
        Assert.Contains("accepting adds it to `refs.bib`", corpus.Documentation!.Value);
    }

    [Fact]
    public async Task Key_prefix_matches_come_first_for_clients_that_filter_by_key()
    {
        // "cont" matches CLEX's title word "Continuous" on the most relevant paper, and the key cont2020 of an unrelated one.
        var (client, fixture) = await Start(Workspace.Replace("\\newcite{|}", "\\newcite{cont|}"));
        await using var _ = client;
        var labels = (await client.CompleteAsync(fixture))!.Items.Select(i => i.Label).ToList();
        Assert.Equal("cont2020", labels[0]);
        Assert.Contains(labels, l => l.StartsWith("clex", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Code_actions_accept_diagnostics_without_severity_and_offer_client_commands_only_when_declared()
    {
        var (client, _) = await Start();
        await using var _ = client;
        var actions = await client.Request<CodeAction[]>("textDocument/codeAction", new
        {
            textDocument = new { uri = client.Uri("paper.tex") }, range = new Range(new Position(3, 10), new Position(3, 10)),
            context = new { diagnostics = new object[]
            {
                new { range = new Range(new Position(5, 18), new Position(5, 37)), message = "Undefined citation key 'vaswani2017atention'", code = "undefined-key" },
                new { range = new Range(new Position(3, 0), new Position(3, 4)), message = "from another tool", code = 42 },
            } },
        });
        Assert.Contains(actions, a => a.Title.StartsWith("Cite: ") && a.Kind == "refactor");
        Assert.DoesNotContain(actions, a => a.Command?.Command == PaperLensMethods.ShowRelatedCommand);

        var (vscode, _) = await Start(extra: new[] { PaperLensMethods.ShowRelatedCommand });
        await using var __ = vscode;
        var offered = await vscode.Request<CodeAction[]>("textDocument/codeAction", new
        {
            textDocument = new { uri = vscode.Uri("paper.tex") }, range = new Range(new Position(3, 10), new Position(3, 10)),
            context = new { diagnostics = Array.Empty<object>() },
        });
        Assert.Contains(offered, a => a.Command?.Command == PaperLensMethods.ShowRelatedCommand);
    }

    [Fact]
    public async Task The_sidebar_gets_the_paragraph_s_first_words_and_only_papers_above_the_relevance_cut_off()
    {
        var (client, _) = await Start();
        await using var _ = client;
        var related = await client.Request<RelatedPapersResult>(PaperLensMethods.RelatedPapers,
            new { textDocument = new { uri = client.Uri("paper.tex") }, position = new Position(3, 0), limit = 60 });
        Assert.Equal("Large language models are trained with a fixed…", related.FirstWords); // no \documentclass argument
        Assert.InRange(related.Papers.Length, 3, 59); // the sample has 68 papers
        var search = await client.Request<RelatedPapersResult>(PaperLensMethods.Search, new { query = "language models", limit = 60 });
        Assert.Equal(60, search.Papers.Length); // a search is not cut
    }
}
