using System.Numerics.Tensors;
using Microsoft.Data.Sqlite;
using PaperLens.Core;
using PaperLens.Index;

namespace PaperLens.Tests.Index;

public class VectorCodecTests
{
    /// <summary>Unit vectors that share a large common component, as sentence embeddings do (cosines of 0.6–0.9 between any two).</summary>
    private static float[][] Anisotropic(int count, int dims, int seed)
    {
        var random = new Random(seed);
        var common = Enumerable.Range(0, dims).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var spread = Enumerable.Range(0, dims).Select(d => d % 7 == 0 ? 0.6f : 0.15f).ToArray();
        return Enumerable.Range(0, count).Select(_ =>
        {
            var v = common.Select((c, d) => c + spread[d] * (float)(random.NextDouble() - 0.5)).ToArray();
            float norm = TensorPrimitives.Norm(v);
            return v.Select(x => x / norm).ToArray();
        }).ToArray();
    }

    private static float RoundTripError(float[] v, VectorCalibration calibration)
    {
        var codes = new sbyte[v.Length];
        var back = new float[v.Length];
        VectorCodec.Dequantize(codes, VectorCodec.Quantize(v, calibration, codes), calibration, back);
        return TensorPrimitives.Distance(v, back);
    }

    [Fact]
    public void Calibrated_codes_decode_closer_than_plain_ones_on_anisotropic_vectors()
    {
        var vectors = Anisotropic(500, 384, 1);
        var calibration = VectorCalibration.Fit(vectors.SelectMany(v => v).ToArray(), 384);
        var identity = VectorCalibration.Identity(384);
        double plain = vectors.Average(v => RoundTripError(v, identity));
        double calibrated = vectors.Average(v => RoundTripError(v, calibration));
        Assert.True(calibrated < plain / 3, $"calibrated {calibrated:E2}, plain {plain:E2}");
        // Plain codes are schema 3's: the identity calibration changes nothing.
        sbyte[] a = new sbyte[384], b = new sbyte[384];
        Assert.Equal(VectorCodec.Quantize(vectors[0], a), VectorCodec.Quantize(vectors[0], identity, b));
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_vector_whose_largest_component_is_negative_keeps_its_codes()
    {
        // Regression: TensorPrimitives.MaxMagnitude returns the signed element, so such vectors (16% of ACM-CR's) got zero codes.
        var v = new[] { 0.1f, -0.9f, 0.3f, 0.2f };
        var codes = new sbyte[4];
        float scale = VectorCodec.Quantize(v, codes);
        Assert.Equal(0.9f / 127, scale, 6);
        Assert.Equal(new sbyte[] { 14, -127, 42, 28 }, codes);
        var index = new VectorIndex([1, 2], [.. v, 0.5f, 0.5f, 0.5f, 0.5f], 4, VectorCalibration.Identity(4));
        Assert.Equal(1, index.Search(v, 1)[0].Id);
        Assert.Equal(TensorPrimitives.Dot(v, v), index.Search(v, 1)[0].Score, 2);
    }

    [Fact]
    public void A_small_index_rescores_every_row_so_its_top_k_and_scores_are_exact_for_the_stored_rows()
    {
        const int dims = 384;
        var vectors = Anisotropic(150, dims, 2);
        var ids = Enumerable.Range(0, vectors.Length).Select(i => 10L + i).ToArray();
        var index = new VectorIndex(ids, vectors.SelectMany(v => v).ToArray(), dims);
        var query = Anisotropic(1, dims, 3)[0];
        var decoded = vectors.Select(v =>
        {
            var codes = new sbyte[dims];
            var back = new float[dims];
            VectorCodec.Dequantize(codes, VectorCodec.Quantize(v, index.Calibration, codes), index.Calibration, back);
            return back;
        }).ToArray();
        var expected = decoded.Select((v, i) => (Id: ids[i], Score: TensorPrimitives.Dot(query, v))).OrderByDescending(x => x.Score).Take(10).ToList();
        var hits = index.Search(query, 10);
        Assert.Equal(expected.Select(x => x.Id), hits.Select(h => h.Id));
        for (int i = 0; i < hits.Count; i++) Assert.Equal(expected[i].Score, hits[i].Score, 4);
        // And the decoded rows are the real ones up to the rounding: nearly the same top 10 as exact fp32 search.
        var exact = vectors.Select((v, i) => (Id: ids[i], Score: TensorPrimitives.Dot(query, v))).OrderByDescending(x => x.Score).Take(10).Select(x => x.Id);
        Assert.True(exact.Intersect(hits.Select(h => h.Id)).Count() >= 9);
    }

    [Fact]
    public void Calibration_survives_storage_and_degenerate_samples_fall_back_safely()
    {
        var calibration = VectorCalibration.Fit(Anisotropic(100, 16, 4).SelectMany(v => v).ToArray(), 16);
        var back = VectorCalibration.FromBytes(calibration.ToBytes());
        Assert.Equal(calibration.Mean, back.Mean);
        Assert.Equal(calibration.Spread, back.Spread);

        var one = Anisotropic(1, 16, 5)[0];
        var single = VectorCalibration.Fit(one, 16);
        Assert.Equal(one, single.Mean);
        Assert.All(single.Spread, s => Assert.Equal(1f, s));
        var codes = new sbyte[16];
        Assert.Equal(0f, VectorCodec.Quantize(one, single, codes)); // the mean itself: no residual
        Assert.Equal(VectorCalibration.Identity(4).Spread, VectorCalibration.Fit([], 4).Spread);
        // Identical vectors have no spread: the floor keeps every spread positive.
        Assert.All(VectorCalibration.Fit(Enumerable.Repeat(one, 40).SelectMany(v => v).ToArray(), 16).Spread, s => Assert.True(s > 0));
    }

    private static Paper Paper(string key, string title) =>
        new() { Key = key, HasSourceKey = true, Title = title, EntryType = "article", Source = new SourceLocation("a.bib", 1) };

    [Fact]
    public void Schema_3_vectors_are_recoded_with_a_fitted_calibration_without_re_embedding()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("i.db");
        var vectors = Anisotropic(300, 384, 6);
        using (var v3 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            v3.Open();
            IndexSchema.Ensure(v3, 3);
            using var cmd = v3.CreateCommand();
            cmd.CommandText = """
                INSERT INTO papers(key, has_source_key, title, authors_json, authors_text, entry_type, source_file, source_line, content_hash, text_hash)
                VALUES ($k, 1, 'A Paper', '[]', '', 'article', 'a.bib', 1, 'c', $h);
                INSERT INTO vectors(model, text_hash, scale, codes) VALUES ('m', $h, $s, $c);
                """;
            var codes = new sbyte[384];
            cmd.Parameters.AddWithValue("$k", "");
            cmd.Parameters.AddWithValue("$h", "");
            cmd.Parameters.AddWithValue("$s", 0.0);
            cmd.Parameters.AddWithValue("$c", Array.Empty<byte>());
            for (int i = 0; i < vectors.Length; i++)
            {
                cmd.Parameters["$k"].Value = $"k{i}";
                cmd.Parameters["$h"].Value = $"{i:x32}";
                // Schema 3: plain codes. Its quantiser read a negative largest component as "no magnitude" and stored zeros.
                cmd.Parameters["$s"].Value = i % 10 == 9 ? 0f : VectorCodec.Quantize(vectors[i], codes);
                if (i % 10 == 9) Array.Clear(codes);
                cmd.Parameters["$c"].Value = System.Runtime.InteropServices.MemoryMarshal.AsBytes(codes.AsSpan()).ToArray();
                cmd.ExecuteNonQuery();
            }
        }

        using var store = PaperStore.Open(path);
        Assert.Equal(IndexSchema.CurrentVersion.ToString(), store.GetMeta("schema_version"));
        var calibration = store.LoadCalibration("m");
        Assert.NotNull(calibration);
        var kept = vectors.Where((_, i) => i % 10 != 9).ToList();
        var mean = kept.Aggregate(new float[384], (sum, v) => sum.Zip(v, (a, b) => a + b / kept.Count).ToArray());
        Assert.True(TensorPrimitives.Distance(mean, calibration.Mean) < 0.01f);
        // Only the rows schema 3 zeroed are embedded again; the rest are recoded.
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"{10 * i + 9:x32}").Order(), store.PendingEmbeddings("m").Select(p => p.TextHash).Order());
        var index = store.LoadVectors("m", 384);
        Assert.Equal(270, index.Count);
        for (int i = 0; i < vectors.Length; i += 37)
        {
            if (i % 10 == 9) continue;
            var top = index.Search(vectors[i], 1)[0];
            Assert.Equal(store.GetByKey($"k{i}")!.Id, top.Id);
            Assert.Equal(1f, top.Score, 2);
        }
    }

    [Fact]
    public void Each_model_keeps_its_own_calibration_and_a_new_model_leaves_the_paper_rows_alone()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        store.ApplyChanges([], Enumerable.Range(0, 40).Select(i => Paper($"k{i}", $"Paper {i}")).ToList());
        var pending = store.PendingEmbeddings("a");
        var first = Anisotropic(pending.Count, 64, 7);
        var second = Anisotropic(pending.Count, 64, 8).Select(v => v.Select(x => -x).ToArray()).ToArray();
        store.SaveEmbeddings("a", pending.Select((p, i) => (p.TextHash, first[i])));
        var papersBefore = store.AllPapers().Select(p => (p.Id, p.Paper.Key, p.TextHash)).ToList();
        var calibrationA = store.LoadCalibration("a")!;

        store.SaveEmbeddings("b", store.PendingEmbeddings("b").Select((p, i) => (p.TextHash, second[i])));
        Assert.Equal(papersBefore, store.AllPapers().Select(p => (p.Id, p.Paper.Key, p.TextHash)).ToList());
        Assert.Equal(calibrationA.Mean, store.LoadCalibration("a")!.Mean);
        Assert.True(TensorPrimitives.Dot(calibrationA.Mean, store.LoadCalibration("b")!.Mean) < 0); // fitted on b's own vectors
        // Later vectors keep the calibration the first ones fixed.
        store.SaveEmbeddings("a", [(pending[0].TextHash, first[1])]);
        Assert.Equal(calibrationA.Spread, store.LoadCalibration("a")!.Spread);
        foreach (var (model, vectors) in new[] { ("a", first), ("b", second) })
        {
            var index = store.LoadVectors(model, 64);
            Assert.Equal(40, index.Count);
            int probe = model == "a" ? 5 : 0; // pending[0] now holds first[1] under model a
            Assert.Equal(1f, index.Search(vectors[probe], 1)[0].Score, 2);
        }
    }

    [Fact]
    public void Dot_products_with_several_queries_at_once_are_the_8_bit_ones_for_every_length_and_the_extreme_codes()
    {
        var random = new Random(9);
        foreach (int length in new[] { 0, 1, 15, 16, 17, 31, 64, 383, 384, 385 })
            foreach (int queries in new[] { 1, 2, 3, 4, 5, 9 })
                for (int trial = 0; trial < 6; trial++)
                {
                    // A third of the trials hold only ±127: the largest sums a pair of products can reach.
                    sbyte Code() => (sbyte)(trial % 3 == 0 ? (random.Next(2) == 0 ? 127 : -127) : random.Next(-127, 128));
                    var row = Enumerable.Range(0, length).Select(_ => Code()).ToArray();
                    var query = Enumerable.Range(0, queries).Select(_ => Enumerable.Range(0, length).Select(_ => Code()).ToArray()).ToArray();
                    var wide = query.Select(q => q.Select(c => (short)c).ToArray()).ToArray();
                    var dots = new int[queries];
                    var portable = new int[queries]; // the path without AVX2 (Arm), run here too
                    VectorCodec.DotMany(row, wide, dots);
                    VectorCodec.DotManyPortable(row, wide, portable);
                    for (int q = 0; q < queries; q++)
                    {
                        Assert.Equal(VectorCodec.Dot(query[q], row), dots[q]);
                        Assert.Equal(query[q].Zip(row, (x, y) => x * y).Sum(), dots[q]);
                        Assert.Equal(dots[q], portable[q]);
                    }
                }
    }

    [Fact]
    public void The_fp32_rescoring_dot_of_codes_is_the_plain_sum_for_every_length()
    {
        var random = new Random(11);
        foreach (int length in new[] { 0, 1, 7, 31, 32, 33, 64, 383, 384, 385 })
            for (int trial = 0; trial < 6; trial++)
            {
                var codes = Enumerable.Range(0, length).Select(_ => (sbyte)(trial % 3 == 0 ? (random.Next(2) == 0 ? 127 : -127) : random.Next(-127, 128))).ToArray();
                var weights = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                double plain = weights.Zip(codes, (w, c) => (double)w * c).Sum();
                Assert.Equal(plain, VectorCodec.Dot(weights, codes), 1e-3 * Math.Max(1, Math.Abs(plain)));
            }
        Assert.Throws<ArgumentException>(() => VectorCodec.Dot(new float[3], new sbyte[4]));
    }

    [Fact]
    public void One_scan_for_several_queries_gives_each_query_its_own_search_bit_for_bit()
    {
        // Enough rows for the scan to run in parts on two or more cores, and ties (repeated rows) that the heaps must break alike.
        const int dims = 48, rows = 40_000;
        var distinct = Anisotropic(5_000, dims, 11);
        var data = Enumerable.Range(0, rows).SelectMany(i => distinct[(i * 7) % distinct.Length]).ToArray();
        var index = new VectorIndex(Enumerable.Range(0, rows).Select(i => 1_000L + i).ToArray(), data, dims);
        var queries = Anisotropic(4, dims, 12).Append(distinct[3]).ToArray();
        var together = index.Search(queries, 200);
        Assert.Equal(queries.Length, together.Length);
        for (int q = 0; q < queries.Length; q++)
        {
            var alone = index.Search(queries[q], 200);
            Assert.Equal(200, alone.Count);
            Assert.Equal(alone.Select(h => h.Id), together[q].Select(h => h.Id));
            Assert.Equal(alone.Select(h => BitConverter.SingleToInt32Bits(h.Score)), together[q].Select(h => BitConverter.SingleToInt32Bits(h.Score)));
        }
        Assert.Empty(index.Search(Array.Empty<float[]>(), 10));
        Assert.Equal(index.Search(queries[0], 5), Assert.Single(index.Search([queries[0]], 5)));
    }
}
