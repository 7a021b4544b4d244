using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PaperLens.Index;

/// <summary>
/// Paper vectors held in memory as int8 codes with one scale per vector (a quarter of fp32: 388 bytes at 384
/// dimensions), taken relative to the model's <see cref="VectorCalibration"/> (mean vector, per-dimension spread).
/// A search quantises the query the same way, scans every row with SIMD integer dot products, then rescores the best
/// few hundred with the fp32 query against the dequantised rows. Vectors are L2-normalised, so a score is a cosine.
/// </summary>
public sealed class VectorIndex
{
    /// <summary>Candidates beyond k that the int8 scan keeps for the fp32 rescoring.</summary>
    private const int RescoreExtra = 200;

    private readonly long[] _ids;
    private readonly sbyte[] _codes;
    private readonly float[] _scales;
    public int Dimensions { get; }
    public int Count => _ids.Length;
    public VectorCalibration Calibration { get; }

    public static readonly VectorIndex Empty = new([], [], 0);

    /// <summary>From fp32 vectors, row-major: each row is quantised relative to <paramref name="calibration"/> (by default one fitted on them).</summary>
    public VectorIndex(long[] ids, float[] data, int dimensions, VectorCalibration? calibration = null)
    {
        if (data.Length != ids.Length * dimensions) throw new ArgumentException("data length must be ids × dimensions");
        if (calibration is not null && calibration.Dimensions != dimensions) throw new ArgumentException("the calibration has other dimensions");
        _ids = ids; Dimensions = dimensions;
        Calibration = calibration ?? VectorCalibration.Fit(data, dimensions);
        _codes = new sbyte[data.Length];
        _scales = new float[ids.Length];
        for (int row = 0; row < ids.Length; row++)
            _scales[row] = VectorCodec.Quantize(data.AsSpan(row * dimensions, dimensions), Calibration, _codes.AsSpan(row * dimensions, dimensions));
    }

    /// <summary>
    /// From int8 codes (row-major), their scales and the calibration they were made with, as the index stores them; the arrays
    /// are kept, not copied (codes past the last row are ignored).
    /// </summary>
    public VectorIndex(long[] ids, sbyte[] codes, float[] scales, int dimensions, VectorCalibration calibration)
    {
        if (codes.LongLength < (long)ids.Length * dimensions || scales.Length != ids.Length) throw new ArgumentException("codes must be ids × dimensions, one scale per id");
        if (calibration.Dimensions != dimensions) throw new ArgumentException("the calibration has other dimensions");
        _ids = ids; _codes = codes; _scales = scales; Dimensions = dimensions; Calibration = calibration;
    }

    /// <summary>The <paramref name="k"/> most similar rows, best first.</summary>
    public List<(long Id, float Score)> Search(ReadOnlySpan<float> query, int k) => Search(query, k, RescoreExtra);

    /// <summary>The graph the search asks for candidates, with the rows it holds; null: every row is scanned.</summary>
    private volatile GraphRows? _graph;

    /// <summary>Whether searches ask a <see cref="VectorGraph"/> for candidates instead of scanning every row.</summary>
    public bool UsesGraph => _graph is not null;

    /// <summary>Rows the attached graph does not hold (added or changed since it was built): scanned on every search.</summary>
    public int RowsOutsideGraph => _graph?.Outside.Length ?? Count;

    /// <summary>
    /// From now on searches take their candidates from <paramref name="graph"/> (its nodes whose paper id and codes are still
    /// these rows') plus a scan of the rows it lacks, then rescore them as the scan's candidates are. Null detaches; the graph
    /// attached already costs nothing. Node n was row n when the graph was built: where the rows are as then (nothing changed
    /// since, the usual start), each node is checked in place, on all cores; a dictionary of ids finds the rows of the others.
    /// </summary>
    public void AttachGraph(VectorGraph? graph)
    {
        if (graph is null || graph.Dimensions != Dimensions) { _graph = null; return; }
        if (ReferenceEquals(_graph?.Graph, graph)) return;
        var rowOfNode = new int[graph.Count];
        var held = new bool[Count];
        bool Same(int node, int row) =>
            BitConverter.SingleToInt32Bits(_scales[row]) == BitConverter.SingleToInt32Bits(graph.Scales[node]) && Fingerprint(row) == graph.Fingerprints[node];
        int moved = 0;
        Parallel.For(0, (graph.Count + 65_535) / 65_536, part =>
        {
            int end = Math.Min(graph.Count, (part + 1) * 65_536), others = 0;
            for (int node = part * 65_536; node < end; node++)
            {
                // In place: the row of the same index has the node's paper (ids are unique), so no other node claims it.
                if (node < Count && _ids[node] == graph.Ids[node]) rowOfNode[node] = Same(node, node) ? node : -1;
                else { rowOfNode[node] = -2; others++; }
                if (rowOfNode[node] >= 0) held[node] = true;
            }
            Interlocked.Add(ref moved, others);
        });
        if (moved > 0)
        {
            var rowOfId = new Dictionary<long, int>(Count);
            for (int row = 0; row < Count; row++) rowOfId.TryAdd(_ids[row], row);
            for (int node = 0; node < graph.Count; node++)
            {
                if (rowOfNode[node] != -2) continue;
                rowOfNode[node] = -1;
                if (rowOfId.TryGetValue(graph.Ids[node], out int row) && !held[row] && Same(node, row))
                {
                    rowOfNode[node] = row;
                    held[row] = true;
                }
            }
        }
        var outside = Enumerable.Range(0, Count).Where(row => !held[row]).ToArray();
        _graph = new GraphRows(graph, rowOfNode, outside);
    }

    private sealed record GraphRows(VectorGraph Graph, int[] RowOfNode, int[] Outside);

    /// <summary>As <see cref="Search(ReadOnlySpan{float}, int)"/>, keeping <paramref name="rescoreExtra"/> more candidates for fp32 rescoring (0: none).</summary>
    public List<(long Id, float Score)> Search(ReadOnlySpan<float> query, int k, int rescoreExtra)
    {
        if (Count == 0 || k <= 0 || query.Length != Dimensions) return [];
        k = Math.Min(k, Count);
        int candidates = Math.Min(Count, k + Math.Max(0, rescoreExtra));
        var q = Prepared(query);
        if (_graph is { } graph && TryGraphCandidates(graph, query, q.Codes, q.Scale, q.Offset, candidates) is { } fromGraph)
            return Rescored(fromGraph, q.Weighted, q.Offset, k, rescoreExtra);
        return Rescored(ScanAll([q], candidates)[0], q.Weighted, q.Offset, k, rescoreExtra);
    }

    /// <summary>
    /// The <paramref name="k"/> most similar rows to each query, best first: what <see cref="Search(ReadOnlySpan{float}, int)"/>
    /// returns for each, bit for bit, but a scan reads each row once for all the queries.
    /// </summary>
    public List<(long Id, float Score)>[] Search(IReadOnlyList<float[]> queries, int k)
    {
        if (Count == 0 || k <= 0 || queries.Any(q => q.Length != Dimensions) || _graph is not null || queries.Count <= 1)
            return queries.Select(q => Search(q, k)).ToArray();
        k = Math.Min(k, Count);
        int candidates = Math.Min(Count, k + RescoreExtra);
        var prepared = queries.Select(q => Prepared(q)).ToArray();
        var scanned = ScanAll(prepared, candidates);
        return prepared.Select((q, i) => Rescored(scanned[i], q.Weighted, q.Offset, k, RescoreExtra)).ToArray();
    }

    /// <summary>A query as the scan uses it: q·mean, q ∘ spread, and the int8 codes of the latter with their scale.</summary>
    private sealed record PreparedQuery(float Offset, float[] Weighted, sbyte[] Codes, float Scale)
    {
        /// <summary>The codes widened to 16 bits, for <see cref="VectorCodec.DotMany"/>.</summary>
        public short[] Wide { get; } = Array.ConvertAll(Codes, c => (short)c);
    }

    private PreparedQuery Prepared(ReadOnlySpan<float> query)
    {
        // q·v ≈ q·mean + scale · Σ (q ∘ spread)[d] · code[d]: the first term is the same for every row.
        float offset = TensorPrimitives.Dot(query, Calibration.Mean);
        var weighted = new float[Dimensions];
        TensorPrimitives.Multiply(query, Calibration.Spread, weighted);
        var codes = new sbyte[Dimensions];
        float queryScale = VectorCodec.Quantize(weighted, codes);
        return new PreparedQuery(offset, weighted, codes, queryScale);
    }

    /// <summary>Every row scored against each query, the best <paramref name="candidates"/> per query, in parts on all cores.</summary>
    private TopKHeap[] ScanAll(PreparedQuery[] queries, int candidates)
    {
        const int rowsPerPart = 16_384;
        int parts = Math.Min(Environment.ProcessorCount, (Count + rowsPerPart - 1) / rowsPerPart);
        if (parts <= 1) return Scan(queries, 0, Count, candidates);
        var heaps = new TopKHeap[parts][];
        Parallel.For(0, parts, part =>
        {
            int from = (int)((long)Count * part / parts), to = (int)((long)Count * (part + 1) / parts);
            heaps[part] = Scan(queries, from, to, candidates);
        });
        var merged = new TopKHeap[queries.Length];
        for (int i = 0; i < queries.Length; i++)
        {
            merged[i] = new TopKHeap(candidates);
            foreach (var heap in heaps) heap[i].MergeInto(merged[i]);
        }
        return merged;
    }

    /// <summary>The best k of the candidates: by their int8 scores, or (with <paramref name="rescoreExtra"/>) by the fp32 query against their codes.</summary>
    private List<(long Id, float Score)> Rescored(TopKHeap candidates, float[] weighted, float offset, int k, int rescoreExtra)
    {
        var rescored = new TopKHeap(k);
        foreach (var (r, score) in candidates.Items())
            rescored.Offer(r, rescoreExtra <= 0 ? score : offset + _scales[r] * VectorCodec.Dot(weighted, _codes.AsSpan(r * Dimensions, Dimensions)));
        return rescored.ToSortedList().Select(x => (_ids[x.Row], x.Score)).ToList();
    }

    /// <summary>The graph's candidates that are still these rows, and the best of the rows it lacks; null when the graph failed.</summary>
    private TopKHeap? TryGraphCandidates(GraphRows graph, ReadOnlySpan<float> query, sbyte[] codes, float queryScale, float offset, int candidates)
    {
        ulong[] nodes;
        try { nodes = graph.Graph.Search(query, candidates); }
        catch (VectorGraphException) { _graph = null; return null; } // a damaged file: scan from now on
        var heap = new TopKHeap(2 * candidates);
        var all = _codes.AsSpan();
        foreach (ulong node in nodes)
        {
            int row = node < (ulong)graph.RowOfNode.Length ? graph.RowOfNode[node] : -1;
            if (row >= 0) heap.Offer(row, offset + queryScale * _scales[row] * VectorCodec.Dot(codes, all.Slice(row * Dimensions, Dimensions)));
        }
        Scan(codes, queryScale, offset, graph.Outside, candidates).MergeInto(heap);
        return heap;
    }

    /// <summary>Rows [from, to) against each query: each row's codes are loaded and widened once for every query (<see cref="VectorCodec.DotMany"/>).</summary>
    private TopKHeap[] Scan(PreparedQuery[] queries, int from, int to, int k)
    {
        var heaps = queries.Select(_ => new TopKHeap(k)).ToArray();
        var wide = queries.Select(q => q.Wide).ToArray();
        var all = _codes.AsSpan();
        Span<int> dots = queries.Length <= 64 ? stackalloc int[queries.Length] : new int[queries.Length];
        for (int row = from; row < to; row++)
        {
            VectorCodec.DotMany(all.Slice(row * Dimensions, Dimensions), wide, dots);
            for (int i = 0; i < queries.Length; i++)
            {
                var q = queries[i];
                heaps[i].Offer(row, q.Offset + q.Scale * _scales[row] * dots[i]);
            }
        }
        return heaps;
    }

    private TopKHeap Scan(sbyte[] query, float queryScale, float offset, int[] rows, int k)
    {
        var heap = new TopKHeap(k);
        var all = _codes.AsSpan();
        foreach (int row in rows)
            heap.Offer(row, offset + queryScale * _scales[row] * VectorCodec.Dot(query, all.Slice(row * Dimensions, Dimensions)));
        return heap;
    }

    /// <summary>The vector a row's codes stand for.</summary>
    internal void Decode(int row, Span<float> destination) =>
        VectorCodec.Dequantize(_codes.AsSpan(row * Dimensions, Dimensions), _scales[row], Calibration, destination);

    /// <summary>A row's codes summed against a fixed pattern: tells a graph node made of other codes from this row.</summary>
    internal int Fingerprint(int row)
    {
        var codes = _codes.AsSpan(row * Dimensions, Dimensions);
        int hash = 0;
        for (int d = 0; d < codes.Length; d++) hash = unchecked(hash * 31 + codes[d]);
        return hash;
    }

    internal long[] RowIds() => (long[])_ids.Clone();

    /// <summary>The paper id of a row.</summary>
    public long IdAt(int row) => _ids[row];

    /// <summary>Every row as the vector its codes stand for, row-major (for measuring against exact search).</summary>
    public float[] Decoded()
    {
        var data = new float[Count * Dimensions];
        for (int row = 0; row < Count; row++)
            Decode(row, data.AsSpan(row * Dimensions, Dimensions));
        return data;
    }

    internal float[] RowScales() => (float[])_scales.Clone();

    /// <summary>A min-heap of row numbers that keeps the k best scores.</summary>
    private sealed class TopKHeap(int k)
    {
        private readonly PriorityQueue<int, float> _queue = new(k + 1);
        /// <summary>The lowest score kept once the heap is full (before then, −∞): most rows of a scan stop at this test.</summary>
        private float _worst = float.NegativeInfinity;

        public void Offer(int row, float score)
        {
            if (_queue.Count < k)
            {
                _queue.Enqueue(row, score);
                if (_queue.Count == k) _queue.TryPeek(out _, out _worst);
            }
            else if (score > _worst && k > 0)
            {
                _queue.EnqueueDequeue(row, score);
                _queue.TryPeek(out _, out _worst);
            }
        }

        public void MergeInto(TopKHeap other)
        {
            foreach (var (row, score) in _queue.UnorderedItems) other.Offer(row, score);
        }

        public IEnumerable<(int Row, float Score)> Items() => _queue.UnorderedItems.Select(x => (x.Element, x.Priority));

        public List<(int Row, float Score)> ToSortedList()
        {
            var list = Items().ToList();
            list.Sort((a, b) => b.Score.CompareTo(a.Score));
            return list;
        }
    }
}

/// <summary>
/// What a model's int8 codes are taken relative to: the mean of its vectors (sentence embeddings share a large common
/// component) and each dimension's spread around it. Codes of the residual, divided by the spread, use their 8 bits on
/// what tells papers apart. Fitted once per model from the first vectors stored; any fit gives exact scores up to the
/// rounding, a good one only makes the rounding smaller.
/// </summary>
public sealed class VectorCalibration
{
    public float[] Mean { get; }
    public float[] Spread { get; }
    public int Dimensions => Mean.Length;

    public VectorCalibration(float[] mean, float[] spread)
    {
        if (mean.Length != spread.Length) throw new ArgumentException("mean and spread must have the same dimensions");
        if (spread.Any(s => !(s > 0) || !float.IsFinite(s)) || mean.Any(m => !float.IsFinite(m))) throw new ArgumentException("spread must be positive and finite");
        Mean = mean; Spread = spread;
    }

    /// <summary>No centring, unit spread: plain symmetric codes (schema 3's).</summary>
    public static VectorCalibration Identity(int dimensions) => new(new float[dimensions], Enumerable.Repeat(1f, dimensions).ToArray());

    /// <summary>Below this many vectors the spread is not estimated (unit spread; the mean is still taken).</summary>
    private const int MinRowsForSpread = 16;

    /// <summary>Mean and spread of row-major vectors; a spread is never below a quarter of the average one.</summary>
    public static VectorCalibration Fit(ReadOnlySpan<float> data, int dimensions)
    {
        int rows = dimensions == 0 ? 0 : data.Length / dimensions;
        if (rows == 0) return Identity(dimensions);
        var sum = new double[dimensions];
        var squares = new double[dimensions];
        for (int row = 0; row < rows; row++)
        {
            var v = data.Slice(row * dimensions, dimensions);
            for (int d = 0; d < dimensions; d++) { sum[d] += v[d]; squares[d] += (double)v[d] * v[d]; }
        }
        var mean = sum.Select(s => (float)(s / rows)).ToArray();
        if (mean.Any(m => !float.IsFinite(m))) return Identity(dimensions);
        if (rows < MinRowsForSpread) return new VectorCalibration(mean, Enumerable.Repeat(1f, dimensions).ToArray());
        var deviation = Enumerable.Range(0, dimensions).Select(d => Math.Sqrt(Math.Max(0, squares[d] / rows - (sum[d] / rows) * (sum[d] / rows)))).ToArray();
        double floor = Math.Max(deviation.Average() / 4, 1e-6);
        return new VectorCalibration(mean, deviation.Select(s => (float)Math.Max(s, floor)).ToArray());
    }

    /// <summary>As stored: the mean then the spread, little-endian fp32.</summary>
    public byte[] ToBytes() => MemoryMarshal.AsBytes(Mean.AsSpan()).ToArray().Concat(MemoryMarshal.AsBytes(Spread.AsSpan()).ToArray()).ToArray();

    public static VectorCalibration FromBytes(byte[] bytes)
    {
        var values = MemoryMarshal.Cast<byte, float>(bytes);
        int dimensions = values.Length / 2;
        return new VectorCalibration(values[..dimensions].ToArray(), values[dimensions..(2 * dimensions)].ToArray());
    }
}

/// <summary>int8 quantisation with one scale per vector relative to a <see cref="VectorCalibration"/>, and the SIMD integer dot product over codes.</summary>
public static class VectorCodec
{
    /// <summary>Symmetric codes, no calibration: writes codes in [-127, 127] and returns the scale, value ≈ code × scale.</summary>
    public static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        float max = vector.Length == 0 ? 0 : MathF.Abs(TensorPrimitives.MaxMagnitude(vector)); // MaxMagnitude keeps the sign
        if (!(max > 0) || !float.IsFinite(max)) { codes.Clear(); return 0; }
        float scale = max / 127f, inverse = 127f / max;
        for (int i = 0; i < vector.Length; i++) codes[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * inverse), -127, 127);
        return scale;
    }

    /// <summary>Codes of the residual over the spread, and their scale: value[d] ≈ mean[d] + spread[d] × code[d] × scale.</summary>
    public static float Quantize(ReadOnlySpan<float> vector, VectorCalibration calibration, Span<sbyte> codes)
    {
        if (vector.Length != calibration.Dimensions) throw new ArgumentException("the vector and the calibration have other dimensions");
        Span<float> residual = vector.Length <= 1024 ? stackalloc float[vector.Length] : new float[vector.Length];
        TensorPrimitives.Subtract(vector, calibration.Mean, residual);
        TensorPrimitives.Divide(residual, calibration.Spread, residual);
        return Quantize(residual, codes);
    }

    /// <summary>The vector that codes and a scale stand for.</summary>
    public static void Dequantize(ReadOnlySpan<sbyte> codes, float scale, VectorCalibration calibration, Span<float> vector)
    {
        TensorPrimitives.ConvertChecked<sbyte, float>(codes, vector);
        TensorPrimitives.Multiply(vector, calibration.Spread, vector);
        TensorPrimitives.MultiplyAdd(vector, scale, calibration.Mean, vector);
    }

    /// <summary>
    /// Σ codes[d]·queries[q][d] for each query (codes in [-127, 127], the queries' widened to 16 bits) into
    /// <paramref name="dots"/>: the sums <see cref="Dot(ReadOnlySpan{sbyte}, ReadOnlySpan{sbyte})"/> gives (integers, so any order
    /// gives them). With AVX2, each 16 codes are sign-extended once and multiplied pairwise into 32 bits with up to four
    /// queries at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from its first call: no slow first tier
    public static void DotMany(ReadOnlySpan<sbyte> codes, short[][] queries, Span<int> dots)
    {
        if (!Avx2.IsSupported) { DotManyPortable(codes, queries, dots); return; }
        int n = codes.Length, full = n & ~15;
        ref sbyte row = ref MemoryMarshal.GetReference(codes);
        for (int q0 = 0; q0 < queries.Length; q0 += 4)
        {
            int count = Math.Min(4, queries.Length - q0);
            short[] a = queries[q0], b = queries[q0 + Math.Min(1, count - 1)], c = queries[q0 + Math.Min(2, count - 1)], d = queries[q0 + count - 1];
            if (a.Length < n || b.Length < n || c.Length < n || d.Length < n) throw new ArgumentException("a query is shorter than the codes");
            var sa = Vector256<int>.Zero; var sb = sa; var sc = sa; var sd = sa;
            for (int i = 0; i < full; i += 16)
            {
                var r = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row, (nuint)i));
                sa = Avx2.Add(sa, Avx2.MultiplyAddAdjacent(r, Vector256.LoadUnsafe(ref a[0], (nuint)i)));
                if (count > 1) sb = Avx2.Add(sb, Avx2.MultiplyAddAdjacent(r, Vector256.LoadUnsafe(ref b[0], (nuint)i)));
                if (count > 2) sc = Avx2.Add(sc, Avx2.MultiplyAddAdjacent(r, Vector256.LoadUnsafe(ref c[0], (nuint)i)));
                if (count > 3) sd = Avx2.Add(sd, Avx2.MultiplyAddAdjacent(r, Vector256.LoadUnsafe(ref d[0], (nuint)i)));
            }
            for (int j = 0; j < count; j++)
            {
                var query = queries[q0 + j];
                int total = Vector256.Sum(j switch { 0 => sa, 1 => sb, 2 => sc, _ => sd });
                for (int i = full; i < n; i++) total += codes[i] * query[i];
                dots[q0 + j] = total;
            }
        }
    }

    /// <summary>
    /// <see cref="DotMany"/> without AVX2 (Arm): portable SIMD, as <see cref="Dot(ReadOnlySpan{sbyte}, ReadOnlySpan{sbyte})"/>,
    /// each chunk of the row widened once for all the queries.
    /// </summary>
    public static void DotManyPortable(ReadOnlySpan<sbyte> codes, short[][] queries, Span<int> dots)
    {
        int n = codes.Length, width = Vector<sbyte>.Count, half = Vector<short>.Count;
        foreach (var query in queries)
            if (query.Length < n) throw new ArgumentException("a query is shorter than the codes");
        Span<Vector<int>> sums = queries.Length <= 16 ? stackalloc Vector<int>[queries.Length] : new Vector<int>[queries.Length];
        sums.Clear();
        int i = 0;
        for (; i <= n - width; i += width)
        {
            Vector.Widen(new Vector<sbyte>(codes[i..]), out Vector<short> low, out Vector<short> high);
            for (int q = 0; q < queries.Length; q++)
            {
                var query = queries[q].AsSpan(i);
                Vector.Widen(low * new Vector<short>(query) + high * new Vector<short>(query[half..]), out Vector<int> a, out Vector<int> b);
                sums[q] += a + b;
            }
        }
        for (int q = 0; q < queries.Length; q++)
        {
            int total = Vector.Sum(sums[q]);
            for (int j = i; j < n; j++) total += codes[j] * queries[q][j];
            dots[q] = total;
        }
    }

    /// <summary>
    /// Σ weights[d]·codes[d] in fp32: the rescoring of a row's codes by the unquantised query, with each chunk of codes
    /// widened to floats in registers (no row buffer).
    /// </summary>
    public static float Dot(ReadOnlySpan<float> weights, ReadOnlySpan<sbyte> codes)
    {
        if (weights.Length < codes.Length) throw new ArgumentException("the weights are shorter than the codes");
        int width = Vector<sbyte>.Count, f = Vector<float>.Count;
        var sum = Vector<float>.Zero;
        int i = 0;
        for (; i <= codes.Length - width; i += width)
        {
            Vector.Widen(new Vector<sbyte>(codes[i..]), out Vector<short> low, out Vector<short> high);
            Vector.Widen(low, out Vector<int> a, out Vector<int> b);
            Vector.Widen(high, out Vector<int> c, out Vector<int> d);
            var w = weights[i..];
            sum += Vector.ConvertToSingle(a) * new Vector<float>(w) + Vector.ConvertToSingle(b) * new Vector<float>(w[f..])
                + Vector.ConvertToSingle(c) * new Vector<float>(w[(2 * f)..]) + Vector.ConvertToSingle(d) * new Vector<float>(w[(3 * f)..]);
        }
        float total = Vector.Sum(sum);
        for (; i < codes.Length; i++) total += weights[i] * codes[i];
        return total;
    }

    /// <summary>Σ a[i]·b[i] over codes in [-127, 127]: widened to 16 bits (a pair of products fits), summed in 32.</summary>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var sum = Vector<int>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<sbyte>.Count; i += Vector<sbyte>.Count)
        {
            Vector.Widen(new Vector<sbyte>(a[i..]), out Vector<short> aLow, out Vector<short> aHigh);
            Vector.Widen(new Vector<sbyte>(b[i..]), out Vector<short> bLow, out Vector<short> bHigh);
            Vector.Widen(aLow * bLow + aHigh * bHigh, out Vector<int> low, out Vector<int> high);
            sum += low + high;
        }
        int total = Vector.Sum(sum);
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }
}
