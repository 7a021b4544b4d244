using System.Text.Json;

namespace PaperLens.Tests.Cli;

/// <summary>The `paperlens` executable run as a user runs it.</summary>
public class CliTests
{
    [Fact]
    public void Search_on_the_bundled_sample_ranks_the_context_window_papers_first_with_the_real_model()
    {
        using var dir = new TempDirectory();
        var (code, stdout, stderr) = ServerProcess.Run("--index", dir.Combine("i.db"), "search",
            "extending the context window of RoPE-based language models", "-k", "4", "--json");
        Assert.True(code == 0, stderr);
        var titles = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(e => e.GetProperty("title").GetString()!).ToList();
        Assert.Equal(4, titles.Count);
        Assert.Contains(titles, t => t.StartsWith("CLEX"));
        Assert.Contains(titles, t => t.StartsWith("E^2-LLM") || t.StartsWith("E2-LLM"));
        Assert.Contains(titles, t => t.Contains("Distributional Perspective", StringComparison.OrdinalIgnoreCase));
        Assert.All(JsonDocument.Parse(stdout).RootElement.EnumerateArray(), e => Assert.True(e.TryGetProperty("semantic", out _)));
    }

    [Fact]
    public void Related_ranks_papers_for_the_paragraph_at_a_line()
    {
        using var dir = new TempDirectory();
        var draft = dir.File("draft.md", "# Notes\n\nWe want models that read longer inputs.\nPosition interpolation stretches rotary embeddings to extend the context window.\n\nUnrelated closing words.\n");
        var (code, stdout, stderr) = ServerProcess.Run("--index", dir.Combine("i.db"), "related", draft, "--line", "4", "-k", "5");
        Assert.True(code == 0, stderr);
        Assert.Contains("Paragraph at lines 3-4", stderr);
        Assert.Contains("CLEX", stdout);
    }

    [Fact]
    public void A_damaged_index_gets_a_message_and_a_way_out_not_a_stack_trace()
    {
        using var dir = new TempDirectory();
        var index = dir.File("i.db", "this is not an sqlite file, just text that is long enough to be a header of one.");
        var (code, _, stderr) = ServerProcess.Run("--index", index, "stats");
        Assert.Equal(2, code);
        Assert.Contains("--rebuild", stderr);
        Assert.DoesNotContain("   at ", stderr);

        var corpus = dir.File("c.bib", "@article{a, title = {A Paper on Ranking}}");
        var rebuilt = ServerProcess.Run("--index", index, "index", "--rebuild", corpus, "--no-embed");
        Assert.True(rebuilt.Code == 0, rebuilt.Err);
        Assert.Contains("1 papers", rebuilt.Err);
    }

    [Fact]
    public void A_missing_model_falls_back_to_bm25_with_a_clear_warning()
    {
        using var dir = new TempDirectory();
        var corpus = dir.File("c.bib", "@article{a, title = {Dense Retrieval for Ranking}}\n@article{b, title = {Cooking Pasta}}");
        var (code, stdout, stderr) = ServerProcess.Run("--index", dir.Combine("i.db"), "--model", dir.Combine("no-model"), "index", corpus);
        Assert.True(code == 0, stderr);
        Assert.Contains("no-model", stderr);
        var search = ServerProcess.Run("--index", dir.Combine("i.db"), "--model", dir.Combine("no-model"), "search", "ranking retrieval");
        Assert.Equal(0, search.Code);
        Assert.Contains("Dense Retrieval for Ranking", search.Out);
        Assert.DoesNotContain("   at ", search.Err);
    }

    [Fact]
    public void Index_adds_paths_replace_replaces_them_and_a_mistyped_path_changes_nothing()
    {
        using var dir = new TempDirectory();
        string index = dir.Combine("i.db");
        var a = dir.File("a.bib", "@article{a, title = {Learning to Rank Scientific Papers}, year = 2020}");
        var b = dir.File("b.bib", "@article{b, title = {Graph Networks for Citation Recommendation}, year = 2021}");
        string Keys() => ServerProcess.Run("--index", index, "--model", dir.Combine("no-model"), "search", "papers citation ranking graph learning", "--mode", "lexical", "--json").Out;

        Assert.Equal(0, ServerProcess.Run("--index", index, "index", a, "--no-embed").Code);
        var second = ServerProcess.Run("--index", index, "index", b, "--no-embed");
        Assert.True(second.Code == 0, second.Err);
        Assert.Contains("2 papers from 2 files: 1 added", second.Err);

        var missing = ServerProcess.Run("--index", index, "index", dir.Combine("nonexistent.bib"), "--no-embed");
        Assert.Equal(2, missing.Code);
        Assert.Contains("not found", missing.Err);
        Assert.Contains("unchanged", missing.Err);
        var both = Keys();
        Assert.Contains("\"a\"", both);
        Assert.Contains("\"b\"", both);

        var replaced = ServerProcess.Run("--index", index, "index", "--replace", b, "--no-embed");
        Assert.True(replaced.Code == 0, replaced.Err);
        Assert.Contains("1 papers from 1 files: 0 added, 0 updated, 1 removed", replaced.Err);
        Assert.DoesNotContain("\"a\"", Keys());
    }

    [Fact]
    public void Stats_merges_lists_each_cross_file_merge_with_both_sources()
    {
        using var dir = new TempDirectory();
        var a = dir.File("a.bib", "@article{vaswani2017, title = {Attention Is All You Need}, doi = {10.5555/3295222.3295349}, year = 2017}");
        var b = dir.File("b.bib", "@article{other, title = {Attention is all you need}, doi = {10.5555/3295222.3295349}, year = 2017}");
        Assert.Equal(0, ServerProcess.Run("--index", dir.Combine("i.db"), "index", a, b, "--no-embed").Code);
        var (code, stdout, stderr) = ServerProcess.Run("--index", dir.Combine("i.db"), "stats", "--merges");
        Assert.True(code == 0, stderr);
        Assert.Equal($"vaswani2017: {b}:1 merged into {a}:1 (same DOI)", stdout.Trim());
    }

    [Theory]
    [InlineData("--mode", "fuzzy", "--mode expects one of: hybrid, lexical, dense, not 'fuzzy'")]
    [InlineData("-k", "ten", "-k expects a whole number, not 'ten'")]
    public void Parse_errors_name_the_allowed_values_not_dotnet_types(string option, string value, string expected)
    {
        var (code, _, stderr) = ServerProcess.Run("search", "ranking", option, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("System.", stderr);
        Assert.DoesNotContain("PaperLens.", stderr);
    }

    [Fact]
    public void Index_on_cuda_without_the_gpu_build_stops_with_one_line_and_indexes_nothing()
    {
        using var dir = new TempDirectory();
        var corpus = dir.File("c.bib", "@article{a, title = {Dense Retrieval for Ranking}}");
        var (code, _, stderr) = ServerProcess.Run("--index", dir.Combine("i.db"), "index", corpus, "--device", "cuda");
        Assert.NotEqual(0, code);
        Assert.Contains("-p:PaperLensCuda=true", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("papers from", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("CUDA"));
    }

    [Fact]
    public void Index_prints_one_line_per_phase_on_stderr()
    {
        using var dir = new TempDirectory();
        var a = dir.File("a.bib", "@article{a, title = {Learning to Rank Scientific Papers}, year = 2020}");
        var (code, _, stderr) = ServerProcess.Run("--index", dir.Combine("i.db"), "--model", dir.Combine("no-model"), "index", a);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"(?m)^reading +1/1 in \d", stderr);
        Assert.Matches(@"(?m)^indexing +1/1 in \d", stderr);
        Assert.Contains("loading the embedding model", stderr);
    }
}
