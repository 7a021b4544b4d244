using PaperLens.Core;
using PaperLens.Index;

namespace PaperLens.Tests.Index;

public class RankingTests
{
    [Fact]
    public void Exact_top_k_matches_a_full_sort()
    {
        var random = new Random(7);
        const int n = 40_000, dims = 32;
        var data = new float[n * dims];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() - 0.5);
        var ids = Enumerable.Range(0, n).Select(i => (long)i * 3).ToArray();
        var index = new VectorIndex(ids, data, dims);
        var query = Enumerable.Range(0, dims).Select(_ => (float)random.NextDouble()).ToArray();

        var expected = Enumerable.Range(0, n)
            .Select(i => (Id: ids[i], Score: Enumerable.Range(0, dims).Sum(d => query[d] * data[i * dims + d])))
            .OrderByDescending(x => x.Score).Take(15).Select(x => x.Id).ToList();
        Assert.Equal(expected, index.Search(query, 15).Select(h => h.Id).ToList());
    }

    [Fact]
    public void Rank_fusion_rewards_items_both_lists_agree_on()
    {
        var fused = RankFusion.Fuse<string>([(["a", "b", "c"], 1.0), (["c", "d", "a"], 1.0)]);
        var order = fused.OrderByDescending(kv => kv.Value).Select(kv => kv.Key).ToList();
        Assert.Equal(["a", "c", "b", "d"], order);
    }

    [Fact]
    public void Lexical_query_quotes_terms_and_drops_stop_words()
    {
        Assert.Equal("\"rope\" OR \"context\" OR \"window\" OR \"near\"", LexicalQuery.Build("The RoPE context-window: the \"window\" (NEAR*)"));
        Assert.Equal("", LexicalQuery.Build("the of and"));
    }
}
