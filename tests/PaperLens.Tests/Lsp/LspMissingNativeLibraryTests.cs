using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Nerdbank.Streams;
using PaperLens.Server.Lsp.Protocol;
using PaperLens.Tests.Sources;

namespace PaperLens.Tests.Lsp;

/// <summary>
/// The server where ONNX Runtime's package has no native library (Intel Macs: the darwin-x64 package holds none). The
/// real `paperlens serve` runs from a copy of the build without libonnxruntime, neither the file nor its deps.json entry.
/// </summary>
public class LspMissingNativeLibraryTests
{
    private const string Workspace = """
        %! paper.tex
        \documentclass{article}
        \begin{document}
        We extend the context window of RoPE-based large language models to longer inputs \cite{|}
        \end{document}
        """;

    [Fact]
    public async Task Without_the_onnx_runtime_library_the_server_ranks_by_words_and_says_why_once()
    {
        using var build = new TempDirectory();
        var server = CopyWithoutOnnxRuntime(AppContext.BaseDirectory, build.Path);
        var fixture = Fixture.Parse(Workspace);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "exec", server, "serve" }) start.ArgumentList.Add(a);
        start.Environment["XDG_CACHE_HOME"] = build.Combine("cache");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await using var client = LspTestClient.Over(FullDuplexStream.Splice(process.StandardOutput.BaseStream, process.StandardInput.BaseStream), fixture);
        await client.InitializeAsync(new
        {
            corpus = new { paths = new[] { SourceTestSupport.SampleListing } },
            index = new { path = client.Folder.Combine(".index", "index.db") },
        });
        await client.OpenAsync("paper.tex");

        var status = await client.Request<IndexStatusResult>(PaperLensMethods.IndexStatus, new { });
        Assert.Equal("idle", status.State);
        Assert.True(status.Papers > 60);
        Assert.Equal(0, status.Embedded);
        Assert.Contains("ranking by words only", status.Message);
        var shown = Assert.Single(client.ShownMessages);
        Assert.Contains("ONNX Runtime's native library cannot be loaded", shown);
        Assert.Contains("words only", shown);
        Assert.DoesNotContain("   at ", shown); // no stack trace

        var list = await client.CompleteAsync(fixture); // lexical ranking still answers
        Assert.NotNull(list);
        Assert.Contains(list.Items.Take(5), i => i.Detail!.Contains("Context Window") || i.Detail.Contains("Length Extrapolation"));

        await client.Request<object?>("workspace/executeCommand", new { command = PaperLensMethods.ReindexCommand });
        await Task.Delay(300);
        await client.WaitForIndexAsync();
        Assert.Single(client.ShownMessages); // said once

        await client.Request<object?>("shutdown", null);
        await client.Notify("exit", null);
        Assert.True(process.WaitForExit(20_000));
        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain("Unhandled exception", await stderr);
    }

    /// <summary>
    /// A copy of the built server (links to its files) whose deps.json and native folder lack ONNX Runtime; returns its
    /// paperlens.dll. The server's own files are copied, so the host takes the copy's folder as the application's.
    /// </summary>
    private static string CopyWithoutOnnxRuntime(string built, string copy)
    {
        // Native files only (libonnxruntime.so, onnxruntime.dll under runtimes/*/native); the managed Microsoft.ML.OnnxRuntime.dll stays.
        static bool IsOnnxRuntime(string path) => Path.GetFileName(path).Contains("onnxruntime", StringComparison.OrdinalIgnoreCase);

        foreach (var file in Directory.GetFiles(built))
        {
            var name = Path.GetFileName(file);
            var target = Path.Combine(copy, name);
            if (name.StartsWith("paperlens.", StringComparison.Ordinal)) File.Copy(file, target);
            else File.CreateSymbolicLink(target, file);
        }
        foreach (var folder in new[] { "models", "samples" })
            Directory.CreateSymbolicLink(Path.Combine(copy, folder), Path.Combine(built, folder));
        var native = Path.Combine("runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        Directory.CreateDirectory(Path.Combine(copy, native));
        foreach (var file in Directory.GetFiles(Path.Combine(built, native)).Where(f => !IsOnnxRuntime(f)))
            File.CreateSymbolicLink(Path.Combine(copy, native, Path.GetFileName(file)), file);
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(copy, native)), IsOnnxRuntime);

        // As in a package built for a platform the runtime package has no library for: deps.json names none.
        var depsPath = Path.Combine(copy, "paperlens.deps.json");
        var deps = JsonNode.Parse(File.ReadAllText(depsPath))!;
        int removed = 0;
        foreach (var (_, libraries) in deps["targets"]!.AsObject())
            foreach (var (_, library) in libraries!.AsObject())
                foreach (var section in new[] { "native", "runtimeTargets" })
                    if (library![section] is JsonObject assets)
                        foreach (var asset in assets.Select(a => a.Key).Where(a => a.Contains("/native/", StringComparison.Ordinal) && IsOnnxRuntime(a)).ToList())
                        {
                            assets.Remove(asset);
                            removed++;
                        }
        Assert.True(removed > 0, "deps.json names no ONNX Runtime library: the test would prove nothing");
        File.WriteAllText(depsPath, deps.ToJsonString());
        return Path.Combine(copy, "paperlens.dll");
    }
}
