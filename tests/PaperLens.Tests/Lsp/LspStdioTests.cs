using System.Diagnostics;
using Nerdbank.Streams;
using PaperLens.Server.Lsp.Protocol;
using PaperLens.Tests.Sources;

namespace PaperLens.Tests.Lsp;

/// <summary>The real `paperlens serve` process over stdio, with the real embedding model.</summary>
public class LspStdioTests
{
    private const string Workspace = """
        %! paper.tex
        \documentclass{article}
        \begin{document}
        Large language models only see a fixed context window. We extend the context window of
        RoPE-based language models to much longer inputs \cite{|}
        \bibliography{refs}
        \end{document}
        %! notes.md
        ---
        bibliography: refs.bib
        ---

        Extending the context window of RoPE-based large language models [@
        %! refs.bib
        @article{su2021roformer, title = {RoFormer: Enhanced Transformer with Rotary Position Embedding}, author = {Su, Jianlin}, year = 2021}
        """;

    [Fact]
    public async Task Completions_in_a_tex_and_a_md_draft_from_the_real_server_process()
    {
        var fixture = Fixture.Parse(Workspace);
        var start = ServerProcess.StartInfo("serve");
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        await using var client = LspTestClient.Over(FullDuplexStream.Splice(process.StandardOutput.BaseStream, process.StandardInput.BaseStream), fixture);
        await client.InitializeAsync(new
        {
            corpus = new { paths = new[] { SourceTestSupport.SampleListing } },
            index = new { path = client.Folder.Combine(".index", "index.db") },
        });
        await client.OpenAsync("paper.tex");
        await client.OpenAsync("notes.md");

        var tex = await client.CompleteAsync(fixture);
        Assert.NotNull(tex);
        Assert.Matches("Context Window|CLEX|E\\^2-LLM", tex.Items[0].Detail!);

        var md = await client.Request<CompletionList>("textDocument/completion", new
        {
            textDocument = new { uri = client.Uri("notes.md") }, position = new Position(4, fixture.Files["notes.md"].Split('\n')[4].Length),
        });
        Assert.Contains(md.Items.Take(3), i => i.Detail!.Contains("Context Window") || i.Detail.StartsWith("CLEX") || i.Detail.StartsWith("E^2-LLM"));

        await client.Request<object?>("shutdown", null);
        await client.Notify("exit", null);
        Assert.True(process.WaitForExit(20_000));
        Assert.Equal(0, process.ExitCode);
    }
}
