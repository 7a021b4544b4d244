using System.Text;
using PaperLens.Server.Lsp.Protocol;

namespace PaperLens.Tests.Lsp;

/// <summary>The server's workspace scan: the CLI's walker (links not followed), no silent size limit, named files checked, quiet on empty files.</summary>
public class LspWorkspaceFilesTests
{
    private const string Refs = "@article{lee2020dense, title = {Dense Retrieval of Scientific Papers}, author = {Lee, Kenton}, year = 2020}";

    [Fact]
    public async Task Folder_links_are_not_walked_so_a_loop_or_a_link_to_etc_costs_nothing()
    {
        var fixture = Fixture.Parse($"%! refs.bib\n{Refs}\n%! paper.tex\nDense retrieval \\cite{{lee2020dense}}");
        await using var client = LspTestClient.InProcess(fixture);
        Directory.CreateSymbolicLink(client.Folder.Combine("loop"), client.Folder.Path);
        Directory.CreateSymbolicLink(client.Folder.Combine("etc"), "/etc");
        await client.InitializeAsync();

        var snapshot = client.Server!.Workspace.Snapshot;
        Assert.Equal([client.Folder.Combine("refs.bib")], snapshot.Bibs.Keys);
        Assert.Single(snapshot.Drafts);
        Assert.DoesNotContain(snapshot.WorkspaceSources, p => p.Contains("/loop/") || p.Contains("/etc/"));
        Assert.Equal(1, (await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { })).Papers);
    }

    [Fact]
    public async Task A_workspace_scan_that_reaches_its_limit_says_so_once_in_the_log_and_the_status()
    {
        var fixture = Fixture.Parse("%! paper.md\nDense retrieval [@|");
        await using var client = LspTestClient.InProcess(fixture);
        for (int i = 0; i < 12; i++) client.Folder.File($"refs/r{i:D2}.bib", Refs.Replace("lee2020dense", $"lee2020dense{i}").Replace("Dense", $"Dense {i}"));
        client.Server!.Workspace.MaxScannedFiles = 10;
        await client.InitializeAsync();

        var status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        Assert.Contains("the workspace scan stopped at 10 files", status.Message);
        Assert.Equal(9, status.Papers); // paper.md and the first nine .bib files
        var said = Assert.Single(client.LogMessages, m => m.Contains("stopped at 10 files"));
        Assert.Contains("r08.bib", said);

        await client.Notify("workspace/didChangeWorkspaceFolders", new { @event = new { added = Array.Empty<object>(), removed = Array.Empty<object>() } });
        await Task.Delay(300);
        await client.WaitForIndexAsync();
        Assert.Single(client.LogMessages, m => m.Contains("stopped at 10 files"));
    }

    [Fact]
    public async Task A_linked_bib_file_that_a_draft_names_is_read()
    {
        using var elsewhere = new TempDirectory();
        var target = elsewhere.File("library.bib", Refs);
        var fixture = Fixture.Parse("%! paper.tex\nDense retrieval \\cite{lee2020dense}\n\\bibliography{linked}");
        await using var client = LspTestClient.InProcess(fixture);
        File.CreateSymbolicLink(client.Folder.Combine("linked.bib"), target);
        await client.InitializeAsync();
        Assert.Equal(1, (await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { })).Papers);
    }

    [Fact]
    public async Task A_workspace_bib_over_20_MB_is_indexed_and_the_limit_is_said()
    {
        var big = new StringBuilder();
        var filler = new string('w', 1_000_000).Replace("wwwww", "word ");
        for (int i = 0; i < 22; i++) big.Append($"@article{{big{i}, title = {{Big Paper {i}}}, year = 2020, abstract = {{{filler}}}}}\n");
        var fixture = Fixture.Parse("%! paper.md\nBig papers [@|");
        await using var client = LspTestClient.InProcess(fixture);
        client.Folder.File("big.bib", big.ToString());
        await client.InitializeAsync();

        var status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        Assert.Equal(22, status.Papers);
        Assert.Contains("not checked in the editor", status.Message);
        Assert.Contains(client.LogMessages, m => m.Contains("big.bib") && m.Contains("20 MB"));
    }

    [Fact]
    public async Task A_named_file_that_is_no_bibliography_is_not_read_and_an_empty_bib_is_no_warning()
    {
        var fixture = Fixture.Parse($"""
            %! paper.tex
            Dense retrieval \cite{"{"}lee2020dense{"}"}
            \addbibresource{"{"}creds{"}"}
            \addbibresource{"{"}refs.bib{"}"}
            \addbibresource{"{"}new.bib{"}"}
            %! creds
            AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
            aws_secret_access_key = wJalrXUtnFEMI
            %! new.bib
            %! refs.bib
            {Refs}
            """);
        await using var client = LspTestClient.InProcess(fixture);
        await client.InitializeAsync();
        await client.OpenAsync("paper.tex");
        await client.Request<object?>("workspace/executeCommand", new { command = PaperLensMethods.ReindexCommand });
        await Task.Delay(300);
        await client.WaitForIndexAsync();

        Assert.Equal(1, (await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { })).Papers);
        Assert.DoesNotContain(client.LogMessages, m => m.Contains("AKIA") || m.Contains("creds"));
        Assert.DoesNotContain(client.LogMessages, m => m.Contains("new.bib"));
    }
}
