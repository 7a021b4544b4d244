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
}
