using PaperLens.Core;
using PaperLens.Index;

namespace PaperLens.Tests.Index;

public class RankingTests
{
    [Fact]
    public void Top_k_matches_a_full_sort_of_the_stored_int8_vectors()
    {
        var random = new Random(7);
        const int n = 40_000, dims = 32;
        var data = new float[n * dims];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() - 0.5);
        var ids = Enumerable.Range(0, n).Select(i => (long)i * 3).ToArray();
        var index = new VectorIndex(ids, data, dims);
        var query = Enumerable.Range(0, dims).Select(_ => (float)random.NextDouble()).ToArray();

        // What the index holds: each row decoded from its int8 codes, scale and the index's calibration.
        var stored = new float[data.Length];
        var codes = new sbyte[dims];
        for (int i = 0; i < n; i++)
        {
            float scale = VectorCodec.Quantize(data.AsSpan(i * dims, dims), index.Calibration, codes);
            VectorCodec.Dequantize(codes, scale, index.Calibration, stored.AsSpan(i * dims, dims));
        }
        var expected = Enumerable.Range(0, n)
            .Select(i => (Id: ids[i], Score: Enumerable.Range(0, dims).Sum(d => query[d] * stored[i * dims + d])))
            .OrderByDescending(x => x.Score).Take(15).ToList();
        var hits = index.Search(query, 15);
        Assert.Equal(expected.Select(x => x.Id), hits.Select(h => h.Id));
        Assert.Equal(expected[0].Score, hits[0].Score, 4);
    }

    [Fact]
    public void Int8_codes_keep_the_direction_and_their_dot_product_is_exact()
    {
        var random = new Random(3);
        var v = Enumerable.Range(0, 384).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var w = Enumerable.Range(0, 384).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        sbyte[] cv = new sbyte[384], cw = new sbyte[384];
        float sv = VectorCodec.Quantize(v, cv), sw = VectorCodec.Quantize(w, cw);
        Assert.Equal(Enumerable.Range(0, 384).Sum(i => cv[i] * cw[i]), VectorCodec.Dot(cv, cw));
        Assert.All(cv, c => Assert.InRange(c, -127, 127));
        var back = cv.Select(c => c * sv).ToArray();
        Assert.True(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(v, back) > 0.9999f);
        Assert.Equal(0f, VectorCodec.Quantize(new float[8], new sbyte[8]));
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
