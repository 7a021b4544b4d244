using System.Numerics;
using System.Numerics.Tensors;

namespace PaperLens.Index;

/// <summary>
/// Paper vectors held in memory as int8 codes with one scale per vector (a quarter of fp32: 388 bytes at 384
/// dimensions). A search quantises the query the same way, scans every row with SIMD integer dot products, then
/// rescores the best few hundred with the fp32 query against the dequantised rows. Vectors are L2-normalised,
/// so a score is a cosine.
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

    public static readonly VectorIndex Empty = new([], [], 0);

    /// <summary>From fp32 vectors, row-major: each row is quantised.</summary>
    public VectorIndex(long[] ids, float[] data, int dimensions)
    {
        if (data.Length != ids.Length * dimensions) throw new ArgumentException("data length must be ids × dimensions");
        _ids = ids; Dimensions = dimensions;
        _codes = new sbyte[data.Length];
        _scales = new float[ids.Length];
        for (int row = 0; row < ids.Length; row++)
            _scales[row] = VectorCodec.Quantize(data.AsSpan(row * dimensions, dimensions), _codes.AsSpan(row * dimensions, dimensions));
    }

    /// <summary>From int8 codes (row-major) and their scales, as the index stores them; the arrays are kept, not copied.</summary>
    public VectorIndex(long[] ids, sbyte[] codes, float[] scales, int dimensions)
    {
        if (codes.Length != ids.Length * dimensions || scales.Length != ids.Length) throw new ArgumentException("codes must be ids × dimensions, one scale per id");
        _ids = ids; _codes = codes; _scales = scales; Dimensions = dimensions;
    }

    /// <summary>The <paramref name="k"/> most similar rows, best first.</summary>
    public List<(long Id, float Score)> Search(ReadOnlySpan<float> query, int k) => Search(query, k, RescoreExtra);

    /// <summary>As <see cref="Search(ReadOnlySpan{float}, int)"/>, keeping <paramref name="rescoreExtra"/> more candidates for fp32 rescoring (0: none).</summary>
    public List<(long Id, float Score)> Search(ReadOnlySpan<float> query, int k, int rescoreExtra)
    {
        if (Count == 0 || k <= 0 || query.Length != Dimensions) return [];
        k = Math.Min(k, Count);
        int candidates = Math.Min(Count, k + Math.Max(0, rescoreExtra));
        var q = query.ToArray();
        var codes = new sbyte[Dimensions];
        float queryScale = VectorCodec.Quantize(q, codes);

        const int rowsPerPart = 16_384;
        int parts = Math.Min(Environment.ProcessorCount, (Count + rowsPerPart - 1) / rowsPerPart);
        TopKHeap scanned;
        if (parts <= 1) scanned = Scan(codes, queryScale, 0, Count, candidates);
        else
        {
            var heaps = new TopKHeap[parts];
            Parallel.For(0, parts, part =>
            {
                int from = (int)((long)Count * part / parts), to = (int)((long)Count * (part + 1) / parts);
                heaps[part] = Scan(codes, queryScale, from, to, candidates);
            });
            scanned = new TopKHeap(candidates);
            foreach (var heap in heaps) heap.MergeInto(scanned);
        }
        if (rescoreExtra <= 0) return scanned.ToSortedList().Select(x => (_ids[x.Row], x.Score)).ToList();

        var rescored = new TopKHeap(k);
        var row = new float[Dimensions];
        foreach (var (r, _) in scanned.Items())
        {
            TensorPrimitives.ConvertChecked<sbyte, float>(_codes.AsSpan(r * Dimensions, Dimensions), row);
            rescored.Offer(r, _scales[r] * TensorPrimitives.Dot(q, row));
        }
        return rescored.ToSortedList().Select(x => (_ids[x.Row], x.Score)).ToList();
    }

    private TopKHeap Scan(sbyte[] query, float queryScale, int from, int to, int k)
    {
        var heap = new TopKHeap(k);
        var all = _codes.AsSpan();
        for (int row = from; row < to; row++)
            heap.Offer(row, queryScale * _scales[row] * VectorCodec.Dot(query, all.Slice(row * Dimensions, Dimensions)));
        return heap;
    }

    /// <summary>A min-heap of row numbers that keeps the k best scores.</summary>
    private sealed class TopKHeap(int k)
    {
        private readonly PriorityQueue<int, float> _queue = new(k + 1);

        public void Offer(int row, float score)
        {
            if (_queue.Count < k) _queue.Enqueue(row, score);
            else if (_queue.TryPeek(out _, out float worst) && score > worst) _queue.EnqueueDequeue(row, score);
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

/// <summary>Symmetric int8 quantisation with one scale per vector, and the SIMD integer dot product over codes.</summary>
public static class VectorCodec
{
    /// <summary>Writes codes in [-127, 127] and returns the scale: value ≈ code × scale.</summary>
    public static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        float max = vector.Length == 0 ? 0 : TensorPrimitives.MaxMagnitude(vector);
        if (!(max > 0) || !float.IsFinite(max)) { codes.Clear(); return 0; }
        float scale = max / 127f, inverse = 127f / max;
        for (int i = 0; i < vector.Length; i++) codes[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * inverse), -127, 127);
        return scale;
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
