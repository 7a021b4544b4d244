using System.Text.Json;
using PaperLens.Server.Lsp.Protocol;
using PaperLens.Tests.Sources;
using Range = PaperLens.Server.Lsp.Protocol.Range;

namespace PaperLens.Tests.Lsp;

/// <summary>Features end to end through LSP, in process, with the sample corpus and the deterministic test embedder.</summary>
public class LspFeatureTests
{
    private const string Workspace = """
        %! paper.tex
        \documentclass{article}
        \begin{document}
        Large language models are trained with a fixed context window, and extending the context
        window of RoPE-based models to longer inputs needs length extrapolation \cite{|}

        We build on attention \citep{vaswani2017attention} and on \cite{vaswani2017atention}.
        \bibliography{refs}
        \end{document}
        %! draft.md
        ---
        bibliography: refs.bib
        ---

        Transformers changed everything [@vaswani2017attention].
        %! refs.bib
        @inproceedings{vaswani2017attention,
          title = {Attention Is All You Need},
          author = {Vaswani, Ashish and Shazeer, Noam},
          booktitle = {NeurIPS},
          year = {2017},
          abstract = {The dominant sequence transduction models are based on recurrent networks.}
        }
        @article{vaswani2017attention,
          title = {A duplicate}
        }
        """;

    private static object Settings(LspTestClient client) => new
    {
        corpus = new { paths = new[] { SourceTestSupport.SampleListing } },
        index = new { path = client.Folder.Combine(".index", "index.db") },
        clientCommands = new[] { PaperLensMethods.ShowRelatedCommand },
    };

    private static async Task<(LspTestClient Client, Fixture Fixture)> Start(string workspace = Workspace)
    {
        var fixture = Fixture.Parse(workspace);
        var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync(Settings(client));
        foreach (var name in fixture.Files.Keys) await client.OpenAsync(name);
        return (client, fixture);
    }

    [Fact]
    public async Task Cite_completion_ranks_papers_by_the_paragraph()
    {
        var (client, fixture) = await Start();
        await using var _ = client;
        var list = await client.CompleteAsync(fixture);
        Assert.NotNull(list);
        Assert.True(list.IsIncomplete);
        var top = list.Items.Take(5).Select(i => i.Detail).ToList();
        Assert.Contains(top, d => d!.Contains("Context Window", StringComparison.OrdinalIgnoreCase) || d.StartsWith("CLEX") || d.StartsWith("E^2-LLM"));
        Assert.Equal(list.Items.Select(i => i.SortText).Order(StringComparer.Ordinal), list.Items.Select(i => i.SortText));
        var corpusItem = list.Items.First(i => i.Detail!.StartsWith("CLEX"));
        Assert.Equal(PaperLensMethods.AddEntryCommand, corpusItem.Command!.Command);
        Assert.Contains("clex", corpusItem.FilterText!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Continuous", corpusItem.FilterText!);
        Assert.Contains("Length Extrapolation", corpusItem.Documentation!.Value);
        var bibItem = list.Items.FirstOrDefault(i => i.Label == "vaswani2017attention");
        Assert.NotNull(bibItem);
        Assert.Null(bibItem.Command);
        Assert.Equal("✓ cited · refs.bib", bibItem.LabelDetails!.Description);
    }

    [Fact]
    public async Task A_client_that_resolves_documentation_gets_each_rows_markdown_on_resolve_not_in_the_list()
    {
        // The same workspace twice: one client takes documentation inline, the other declares resolveSupport for it (as VS Code does).
        var (inline, fixture) = await Start();
        await using var _ = inline;
        var expected = (await inline.CompleteAsync(fixture))!.Items.ToDictionary(i => i.Label, i => i.Documentation!.Value);

        var resolving = LspTestClient.InProcess(fixture);
        await using var __ = resolving;
        await resolving.InitializeAsync(Settings(resolving), textDocumentCapabilities: new
        {
            completion = new { completionItem = new { resolveSupport = new { properties = new[] { "documentation", "detail" } } } },
        });
        foreach (var name in fixture.Files.Keys) await resolving.OpenAsync(name);
        var list = (await resolving.CompleteAsync(fixture))!;
        Assert.Equal(expected.Keys, list.Items.Select(i => i.Label));
        Assert.All(list.Items, i => Assert.Null(i.Documentation));

        var clex = list.Items.First(i => i.Detail!.StartsWith("CLEX"));
        var resolved = await resolving.Request<CompletionItem>("completionItem/resolve", clex);
        Assert.Equal(expected[clex.Label], resolved.Documentation!.Value);
        Assert.Contains("Length Extrapolation", resolved.Documentation.Value);
        Assert.Equal(clex.Detail, resolved.Detail);

        // An item the server never listed comes back as it was sent.
        var stranger = clex with { Label = "nobody2020", Data = System.Text.Json.JsonSerializer.SerializeToElement(new { uri = clex.Data!.Value.GetProperty("uri").GetString(), key = "nobody2020" }) };
        Assert.Null((await resolving.Request<CompletionItem>("completionItem/resolve", stranger)).Documentation);
        var odd = clex with { Data = System.Text.Json.JsonSerializer.SerializeToElement(new { uri = 3, key = new[] { "x" } }) };
        Assert.Null((await resolving.Request<CompletionItem>("completionItem/resolve", odd)).Documentation);
    }

    [Fact]
    public async Task Typed_prefix_filters_by_key_surname_title_word_or_year()
    {
        var (client, fixture) = await Start(Workspace.Replace("\\cite{|}", "\\cite{Vasw|}"));
        await using var _ = client;
        var list = await client.CompleteAsync(fixture);
        Assert.Equal("vaswani2017attention", list!.Items[0].Label);
        var (client2, fixture2) = await Start(Workspace.Replace("\\cite{|}", "\\cite{contin|}"));
        await using var __ = client2;
        Assert.StartsWith("CLEX", (await client2.CompleteAsync(fixture2))!.Items[0].Detail);
    }

    [Fact]
    public async Task Pandoc_completion_after_at_sign()
    {
        var (client, fixture) = await Start(Workspace.Replace("\\cite{|}", "").Replace("Transformers changed everything [@vaswani2017attention].",
            "Extending the context window of large language models with RoPE [@|"));
        await using var _ = client;
        var list = await client.CompleteAsync(fixture);
        Assert.NotEmpty(list!.Items);
        Assert.Contains(list.Items.Take(5), i => i.Detail!.StartsWith("CLEX") || i.Detail.Contains("Context Window"));
    }

    [Fact]
    public async Task Hover_shows_the_abstract_or_suggests_close_keys()
    {
        var (client, _) = await Start();
        await using var __ = client;
        var hover = await client.Request<Hover>("textDocument/hover", new { textDocument = new { uri = client.Uri("paper.tex") }, position = new Position(5, 32) });
        Assert.Contains("Attention Is All You Need", hover.Contents.Value);
        Assert.Contains("recurrent networks", hover.Contents.Value);
        Assert.Contains("refs.bib", hover.Contents.Value);
        var unknown = await client.Request<Hover>("textDocument/hover", new { textDocument = new { uri = client.Uri("paper.tex") }, position = new Position(5, 66) });
        Assert.Contains("Unknown citation key `vaswani2017atention`", unknown.Contents.Value);
        Assert.Contains("`vaswani2017attention`", unknown.Contents.Value);
    }

    [Fact]
    public async Task Diagnostics_report_undefined_keys_and_duplicate_bib_keys()
    {
        var (client, _) = await Start();
        await using var __ = client;
        var tex = await client.DiagnosticsFor("paper.tex", d => d.Length > 0);
        var undefined = Assert.Single(tex);
        Assert.Contains("vaswani2017atention", undefined.Message);
        Assert.Equal(5, undefined.Range.Start.Line);
        var bib = await client.DiagnosticsFor("refs.bib", d => d.Length > 0);
        Assert.Contains(bib, d => d.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) && d.Range.Start.Line == 7);
    }

    [Fact]
    public async Task Quick_fix_changes_a_near_miss_key()
    {
        var (client, _) = await Start();
        await using var __ = client;
        var actions = await client.Request<CodeAction[]>("textDocument/codeAction", new
        {
            textDocument = new { uri = client.Uri("paper.tex") }, range = new Range(new Position(5, 66), new Position(5, 66)),
            context = new { diagnostics = Array.Empty<object>() },
        });
        var change = Assert.Single(actions, a => a.Title == "Change to 'vaswani2017attention'");
        Assert.Equal("vaswani2017attention", change.Edit!.Changes.Values.Single().Single().NewText);
    }

    [Fact]
    public async Task Code_actions_cite_related_papers_at_the_sentence_end_and_add_the_bib_entry()
    {
        var (client, _) = await Start(Workspace.Replace("\\cite{|}", "."));
        await using var __ = client;
        var actions = await client.Request<CodeAction[]>("textDocument/codeAction", new
        {
            textDocument = new { uri = client.Uri("paper.tex") }, range = new Range(new Position(3, 200), new Position(3, 200)), // after the full stop
            context = new { diagnostics = Array.Empty<object>() },
        });
        var cites = actions.Where(a => a.Title.StartsWith("Cite: ")).ToList();
        Assert.Equal(3, cites.Count);
        Assert.Contains(actions, a => a.Title == "Show related papers" && a.Command!.Command == PaperLensMethods.ShowRelatedCommand);
        var edit = cites.First(a => a.Title.Contains("CLEX") || a.Title.Contains("Context Window") || a.Title.Contains("E^2")).Edit!;
        var texEdit = edit.Changes[client.Uri("paper.tex")].Single();
        Assert.StartsWith("\\cite{", texEdit.NewText);
        var line = File.ReadAllLines(client.Folder.Combine("paper.tex"))[texEdit.Range.Start.Line];
        Assert.Equal('.', line[texEdit.Range.Start.Character]); // before the full stop ending the sentence
        Assert.Contains("@", edit.Changes[client.Uri("refs.bib")].Single().NewText);
    }

    [Fact]
    public async Task Cite_command_inserts_the_citation_and_appends_the_entry_with_a_unique_key()
    {
        var (client, fixture) = await Start();
        await using var __ = client;
        var list = await client.CompleteAsync(fixture);
        var clex = list!.Items.First(i => i.Detail!.StartsWith("CLEX"));
        var args = clex.Command!.Arguments![0];
        Assert.True(await client.Request<bool>("workspace/executeCommand", new { command = PaperLensMethods.AddEntryCommand, arguments = new[] { args } }));
        var bib = File.ReadAllText(client.Folder.Combine("refs.bib"));
        Assert.Contains("{" + clex.Label + ",", bib);
        Assert.Contains("CLEX", bib);

        Assert.True(await client.Request<bool>("workspace/executeCommand", new
        {
            command = PaperLensMethods.CiteCommand,
            arguments = new[] { new { uri = client.Uri("draft.md"), position = new Position(4, 32), key = clex.Label } },
        }));
        Assert.Contains("[@" + clex.Label + "]", File.ReadAllText(client.Folder.Combine("draft.md")));
    }

    [Fact]
    public async Task Definition_references_and_rename_follow_the_key_across_files()
    {
        var (client, _) = await Start();
        await using var __ = client;
        var at = new { textDocument = new { uri = client.Uri("draft.md") }, position = new Position(4, 38) };
        var definition = await client.Request<Location[]>("textDocument/definition", at);
        Assert.Equal(client.Uri("refs.bib"), Assert.Single(definition).Uri);
        Assert.Equal(0, definition[0].Range.Start.Line);

        var references = await client.Request<Location[]>("textDocument/references", new { at.textDocument, at.position, context = new { includeDeclaration = false } });
        Assert.Equal([client.Uri("draft.md"), client.Uri("paper.tex")], references.Select(r => r.Uri).Order());

        var prepare = await client.Request<PrepareRenameResult>("textDocument/prepareRename", at);
        Assert.Equal("vaswani2017attention", prepare.Placeholder);
        var rename = await client.Request<WorkspaceEdit>("textDocument/rename", new { at.textDocument, at.position, newName = "vaswani2017" });
        Assert.Equal(3, rename.Changes.Count);
        Assert.All(rename.Changes.Values.SelectMany(e => e), e => Assert.Equal("vaswani2017", e.NewText));
    }

    [Fact]
    public async Task Symbols_related_papers_search_and_index_status()
    {
        var (client, _) = await Start();
        await using var __ = client;
        var symbols = await client.Request<DocumentSymbol[]>("textDocument/documentSymbol", new { textDocument = new { uri = client.Uri("refs.bib") } });
        Assert.Equal("vaswani2017attention", symbols[0].Name);

        var related = await client.Request<RelatedPapersResult>(PaperLensMethods.RelatedPapers, new { textDocument = new { uri = client.Uri("paper.tex") }, position = new Position(3, 0), limit = 5 });
        Assert.Equal(5, related.Papers.Length);
        Assert.Contains("context window", related.Context);
        Assert.Contains(related.Papers, p => p.Title.StartsWith("CLEX"));

        var search = await client.Request<RelatedPapersResult>(PaperLensMethods.Search, new { query = "attention sequence transduction", limit = 3 });
        Assert.Equal("vaswani2017attention", search.Papers[0].Key);
        Assert.True(search.Papers[0].InBibliography == false); // no document given

        var status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        Assert.Equal("idle", status.State);
        Assert.Equal(68, status.Papers); // 67 sample papers + the bib entry
        Assert.Equal(68, status.Embedded);

        var ws = await client.Request<SymbolInformation[]>("workspace/symbol", new { query = "CLEX" });
        Assert.Contains(ws, s => s.Name.Contains("CLEX"));
    }

    [Fact]
    public async Task Incremental_edits_positions_past_the_end_and_a_huge_draft_are_handled()
    {
        var (client, _) = await Start();
        await using var __ = client;
        await client.Notify("textDocument/didChange", new
        {
            textDocument = new { uri = client.Uri("draft.md"), version = 2 },
            contentChanges = new object[] { new { range = new Range(new Position(4, 0), new Position(4, 12)), text = "Attention" } },
        });
        var hover = await client.Request<Hover?>("textDocument/hover", new { textDocument = new { uri = client.Uri("draft.md") }, position = new Position(4, 36) });
        Assert.NotNull(hover); // the key moved left by 3 characters and is still found
        Assert.Null(await client.Request<Hover?>("textDocument/hover", new { textDocument = new { uri = client.Uri("draft.md") }, position = new Position(999, 999) }));
        Assert.NotNull(await client.Request<CompletionList?>("textDocument/completion", new { textDocument = new { uri = client.Uri("paper.tex") }, position = new Position(3, 9999) }));

        var huge = string.Concat(Enumerable.Repeat("Context windows of language models are extended with RoPE scaling [@vaswani2017attention].\n\n", 220_000));
        Assert.True(huge.Length > 20_000_000);
        await client.Notify("textDocument/didOpen", new DidOpenTextDocumentParams(new TextDocumentItem(client.Uri("huge.md"), "markdown", 1, huge)));
        var related = await client.Request<RelatedPapersResult>(PaperLensMethods.RelatedPapers, new { textDocument = new { uri = client.Uri("huge.md") }, position = new Position(100_000, 5), limit = 3 });
        Assert.Equal(3, related.Papers.Length);
        var completion = await client.Request<CompletionList>("textDocument/completion", new { textDocument = new { uri = client.Uri("huge.md") }, position = new Position(200_000, 71) });
        Assert.Equal("vaswani2017attention", completion.Items[0].Label); // the key being typed there is "vas"
    }

    [Fact]
    public async Task A_document_closed_while_requests_run_is_handled()
    {
        var (client, _) = await Start();
        await using var __ = client;
        var requests = Enumerable.Range(0, 20).Select(i => client.Request<RelatedPapersResult>(PaperLensMethods.RelatedPapers,
            new { textDocument = new { uri = client.Uri("paper.tex") }, position = new Position(3, i), limit = 5 })).ToList();
        await client.Notify("textDocument/didClose", new { textDocument = new { uri = client.Uri("paper.tex") } });
        File.Delete(client.Folder.Combine("paper.tex"));
        await client.Notify("workspace/didChangeWatchedFiles", new { changes = new[] { new { uri = client.Uri("paper.tex"), type = 3 } } });
        foreach (var r in requests) await r; // each answers from the snapshot it started with, or with an empty list
        var after = await client.Request<RelatedPapersResult>(PaperLensMethods.RelatedPapers, new { textDocument = new { uri = client.Uri("paper.tex") }, position = new Position(3, 0) });
        Assert.Empty(after.Papers);
    }

    [Fact]
    public async Task Settings_change_applies_without_a_restart()
    {
        var (client, fixture) = await Start();
        await using var __ = client;
        await client.Notify("workspace/didChangeConfiguration", new { settings = new { paperlens = new { completion = new { maxItems = 3 }, corpus = new { paths = Array.Empty<string>() } } } });
        await Task.Delay(200);
        await client.WaitForIndexAsync();
        var list = await client.CompleteAsync(fixture);
        Assert.True(list!.Items.Length <= 3);
        var status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        Assert.Equal(1, status.Papers); // only the workspace bib entry is left
    }

    [Fact]
    public async Task Csl_json_and_listing_files_in_the_workspace_are_indexed_but_other_json_and_text_are_not()
    {
        const string workspace = """
            %! library.json
            [{"id": "http://zotero.org/users/1/items/AB", "citation-key": "devlin2019bert", "type": "paper-conference",
              "title": "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
              "author": [{"family": "Devlin", "given": "Jacob"}], "issued": {"date-parts": [[2019]]}}]
            %! package.json
            {"name": "not-papers", "version": "1.0.0", "scripts": {"build": "tsc"}}
            %! notes.txt
            Shopping list

            Milk, eggs and flour for the weekend, plus whatever else the recipe on the fridge says we need for the cake.
            %! draft.md
            Pretrained bidirectional encoders [@|
            """;
        var fixture = Fixture.Parse(workspace);
        await using var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync(new { index = new { path = client.Folder.Combine(".index", "index.db") } });
        await client.OpenAsync("draft.md");
        var status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        Assert.Equal(1, status.Papers);
        Assert.Equal("devlin2019bert", (await client.CompleteAsync(fixture))!.Items[0].Label);
    }
}
