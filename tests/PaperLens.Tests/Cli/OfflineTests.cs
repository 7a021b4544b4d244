using System.Diagnostics;
using System.Text.RegularExpressions;
using Nerdbank.Streams;
using PaperLens.Tests.Lsp;
using PaperLens.Tests.Sources;

namespace PaperLens.Tests.Cli;

/// <summary>Nothing leaves the machine: no inet socket and no ONNX Runtime telemetry store, with the real model.</summary>
public class OfflineTests
{
    private const string Corpus = "@article{a, title = {Dense Retrieval for Ranking}, abstract = {We embed queries and passages to rank them.}}\n";

    [Fact]
    public void Indexing_with_the_real_model_creates_no_telemetry_store()
    {
        using var dir = new TempDirectory();
        var info = WithHome(ServerProcess.StartInfo("--index", dir.Combine("i.db"), "index", dir.File("c.bib", Corpus)), dir);
        var (code, _, stderr) = ServerProcess.Run(info);
        Assert.True(code == 0, stderr);
        Assert.Contains("Embedded 1 texts", stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path, "*Microsoft*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path, "*onnxruntime*", SearchOption.AllDirectories));
    }

    [StraceFact]
    public void Index_with_embedding_opens_no_inet_socket()
    {
        using var dir = new TempDirectory();
        var log = dir.Combine("strace.log");
        var info = UnderStrace(WithHome(ServerProcess.StartInfo("--index", dir.Combine("i.db"), "index", SourceTestSupport.SampleListing), dir), log);
        var (code, _, stderr) = ServerProcess.Run(info);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"Embedded [1-9]\d* texts", stderr);
        AssertNoInetSocket(log);
    }

    [StraceFact]
    public async Task Serve_through_initialize_a_completion_and_shutdown_opens_no_inet_socket()
    {
        var fixture = Fixture.Parse("""
            %! paper.tex
            We extend the context window of RoPE-based language models \cite{|}
            \bibliography{refs}
            %! refs.bib
            @article{su2021roformer, title = {RoFormer: Enhanced Transformer with Rotary Position Embedding}, year = 2021}
            """);
        using var home = new TempDirectory();
        var log = home.Combine("strace.log");
        var started = Stopwatch.StartNew();
        using var process = Process.Start(UnderStrace(WithHome(ServerProcess.StartInfo("serve"), home), log))!;
        _ = process.StandardError.ReadToEndAsync();
        await using (var client = LspTestClient.Over(FullDuplexStream.Splice(process.StandardOutput.BaseStream, process.StandardInput.BaseStream), fixture))
        {
            await client.InitializeAsync(new
            {
                corpus = new { paths = new[] { SourceTestSupport.SampleListing } },
                index = new { path = client.Folder.Combine(".index", "index.db") },
            });
            await client.OpenAsync("paper.tex");
            var completion = await client.CompleteAsync(fixture);
            Assert.NotEmpty(completion!.Items);
            // ONNX Runtime's telemetry flushes every few seconds: stay up long enough for one.
            var lingering = TimeSpan.FromSeconds(8) - started.Elapsed;
            if (lingering > TimeSpan.Zero) await Task.Delay(lingering);
            await client.Request<object?>("shutdown", null);
            await client.Notify("exit", null);
        }
        Assert.True(process.WaitForExit(20_000));
        Assert.Equal(0, process.ExitCode);
        AssertNoInetSocket(log);
        Assert.Empty(Directory.GetFileSystemEntries(home.Path, "*onnxruntime*", SearchOption.AllDirectories));
    }

    /// <summary>HOME and XDG_CACHE_HOME in <paramref name="dir"/>, so that anything written to a user's cache lands there.</summary>
    private static ProcessStartInfo WithHome(ProcessStartInfo info, TempDirectory dir)
    {
        info.Environment["HOME"] = dir.Path;
        info.Environment["XDG_CACHE_HOME"] = dir.Combine("cache");
        return info;
    }

    private static ProcessStartInfo UnderStrace(ProcessStartInfo info, string log)
    {
        var traced = new ProcessStartInfo("strace")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "-f", "-qq", "-e", "trace=connect,socket", "-o", log, info.FileName }.Concat(info.ArgumentList))
            traced.ArgumentList.Add(arg);
        foreach (var (name, value) in info.Environment) traced.Environment[name] = value;
        return traced;
    }

    private static void AssertNoInetSocket(string log)
    {
        Assert.True(File.Exists(log), "strace wrote no log");
        var calls = File.ReadAllLines(log);
        var inet = calls.Where(c => Regex.IsMatch(c, @"\bAF_INET6?\b")).ToList();
        Assert.True(inet.Count == 0, "inet sockets:\n" + string.Join('\n', inet.Take(10)));
    }
}

/// <summary>A fact that needs strace on PATH; skipped, saying why, where it is missing (CI installs it).</summary>
public sealed class StraceFactAttribute : FactAttribute
{
    public StraceFactAttribute()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "strace"))))
            Skip = "strace is not installed (apt-get install strace; .ci/run installs it)";
    }
}
