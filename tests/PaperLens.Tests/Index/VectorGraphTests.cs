using System.Numerics.Tensors;
using PaperLens.Index;

namespace PaperLens.Tests.Index;

/// <summary>The HNSW graph (USearch) behind the dense search of large corpora, and the scan it falls back to. One class: the library switch is process-wide.</summary>
public class VectorGraphTests
{
    /// <summary>Unit vectors around a few dozen topics sharing a common component, as sentence embeddings cluster.</summary>
    private static float[][] Clustered(int count, int dims, int seed)
    {
        var random = new Random(seed);
        float[] Noise(float size) => Enumerable.Range(0, dims).Select(_ => size * (float)(random.NextDouble() - 0.5)).ToArray();
        var common = Noise(1);
        var topics = Enumerable.Range(0, 40).Select(_ => Noise(0.8f)).ToArray();
        return Enumerable.Range(0, count).Select(_ =>
        {
            var topic = topics[random.Next(topics.Length)];
            var noise = Noise(0.5f);
            var v = common.Select((c, d) => c + topic[d] + noise[d]).ToArray();
            float norm = TensorPrimitives.Norm(v);
            return v.Select(x => x / norm).ToArray();
        }).ToArray();
    }

    private static VectorIndex Index(float[][] vectors, long firstId = 1) =>
        new(Enumerable.Range(0, vectors.Length).Select(i => firstId + i).ToArray(), vectors.SelectMany(v => v).ToArray(), vectors[0].Length);

    private static double Overlap(List<(long Id, float Score)> a, List<(long Id, float Score)> b) =>
        a.Select(h => h.Id).Intersect(b.Select(h => h.Id)).Count() / (double)Math.Max(1, a.Count);

    [Fact]
    public void The_graph_finds_what_the_exact_scan_finds_and_its_scores_are_the_scans()
    {
        Assert.True(VectorGraph.IsAvailable, "USearch's native library should load on this platform");
        using var dir = new TempDirectory();
        var vectors = Clustered(3000, 64, 1);
        var exact = Index(vectors);
        var withGraph = Index(vectors);
        // One inserting thread: the same graph every run, so the recall below is a fixed figure, not a draw.
        using var graph = VectorGraph.Build(withGraph, dir.Combine("i.db.m.hnsw"), threads: 1)!;
        withGraph.AttachGraph(graph);
        Assert.True(withGraph.UsesGraph);
        Assert.Equal(0, withGraph.RowsOutsideGraph);

        var queries = Clustered(50, 64, 2);
        double recall = queries.Average(q => Overlap(exact.Search(q, 10), withGraph.Search(q, 10)));
        Assert.True(recall >= 0.97, $"recall@10 of the graph against the scan: {recall:F3}");
        foreach (var q in queries.Take(5))
        {
            var scores = exact.Search(q, 10).ToDictionary(h => h.Id, h => h.Score);
            foreach (var hit in withGraph.Search(q, 10).Where(h => scores.ContainsKey(h.Id)))
                Assert.Equal(scores[hit.Id], hit.Score, 1e-5f); // rescored with the same codes
        }
    }

    [Fact]
    public void A_saved_graph_is_mapped_again_and_serves_only_rows_it_still_holds()
    {
        using var dir = new TempDirectory();
        var path = VectorGraph.PathFor(dir.Combine("i.db"), "model@1");
        var vectors = Clustered(2000, 64, 3);
        var before = Index(vectors);
        VectorGraph.Build(before, path)!.Dispose();

        // Later: paper 1 got another text (another vector), paper 2 is gone, a new paper 5000 came in.
        var changed = vectors.ToArray();
        var query = Clustered(1, 64, 4)[0];
        changed[0] = query;
        var ids = Enumerable.Range(0, changed.Length).Select(i => 1L + i).ToArray();
        ids[1] = 5000;
        // The model's calibration is fixed by its first vectors: unchanged rows keep their codes.
        var now = new VectorIndex(ids, changed.SelectMany(v => v).ToArray(), 64, before.Calibration);
        var scan = new VectorIndex(ids, changed.SelectMany(v => v).ToArray(), 64, before.Calibration);
        using var graph = VectorGraph.Open(path, 64)!;
        Assert.NotNull(graph);
        now.AttachGraph(graph);
        Assert.True(now.UsesGraph);
        Assert.Equal(2, now.RowsOutsideGraph); // paper 1's new vector and paper 5000 are scanned

        var hits = now.Search(query, 10);
        Assert.Equal(1, hits[0].Id); // found by its new vector, outside the graph
        Assert.True(Overlap(scan.Search(query, 10), hits) >= 0.9);
        Assert.DoesNotContain(hits, h => h.Id == 2);
        Assert.Null(VectorGraph.Open(path, 32)); // a graph of other dimensions is not used
    }

    [Fact]
    public void A_graph_serves_rows_loaded_in_another_order_and_attaching_it_again_changes_nothing()
    {
        using var dir = new TempDirectory();
        var vectors = Clustered(2000, 64, 5);
        var built = Index(vectors);
        using var graph = VectorGraph.Build(built, dir.Combine("i.db.m.hnsw"))!;
        // The same papers loaded in another row order (node n is no longer row n), one of them with another vector.
        var order = Enumerable.Range(0, vectors.Length).Reverse().ToArray();
        var moved = order.Select(i => vectors[i]).ToArray();
        moved[10] = Clustered(1, 64, 6)[0];
        var now = new VectorIndex(order.Select(i => 1L + i).ToArray(), moved.SelectMany(v => v).ToArray(), 64, built.Calibration);
        var scan = new VectorIndex(order.Select(i => 1L + i).ToArray(), moved.SelectMany(v => v).ToArray(), 64, built.Calibration);

        now.AttachGraph(graph);
        Assert.Equal(1, now.RowsOutsideGraph); // only the changed vector is scanned
        now.AttachGraph(graph);
        Assert.Equal(1, now.RowsOutsideGraph);
        foreach (var q in Clustered(20, 64, 7).Append(moved[10]))
        {
            var scores = scan.Search(q, 10).ToDictionary(h => h.Id, h => h.Score);
            var hits = now.Search(q, 10);
            Assert.True(Overlap(scan.Search(q, 10), hits) >= 0.8);
            foreach (var hit in hits.Where(h => scores.ContainsKey(h.Id))) Assert.Equal(scores[hit.Id], hit.Score, 1e-5f);
        }
        Assert.Equal(1L + order[10], now.Search(moved[10], 1)[0].Id);
    }

    [Fact]
    public void Without_the_native_library_there_is_no_graph_and_the_search_scans()
    {
        using var dir = new TempDirectory();
        var vectors = Clustered(500, 32, 5);
        var path = VectorGraph.PathFor(dir.Combine("i.db"), "m");
        VectorGraph.Build(Index(vectors), path)!.Dispose();
        string library = VectorGraph.Library;
        try
        {
            VectorGraph.Library = "libusearch_not_here";
            Assert.False(VectorGraph.IsAvailable);
            Assert.Null(VectorGraph.Build(Index(vectors), path + "2"));
            Assert.Null(VectorGraph.Open(path, 32));
            var index = Index(vectors);
            index.AttachGraph(VectorGraph.Open(path, 32));
            Assert.False(index.UsesGraph);
            Assert.Equal(Index(vectors).Search(vectors[7], 5), index.Search(vectors[7], 5));
            Assert.Equal(8, index.Search(vectors[7], 1)[0].Id);
        }
        finally { VectorGraph.Library = library; }
    }
}
