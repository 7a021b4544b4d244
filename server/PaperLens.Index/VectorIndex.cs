using System.Numerics.Tensors;

namespace PaperLens.Index;

/// <summary>Paper vectors held in memory, searched exactly with SIMD dot products (vectors are L2-normalised, so dot = cosine).</summary>
public sealed class VectorIndex
{
    private readonly long[] _ids;
    private readonly float[] _data;
    public int Dimensions { get; }
    public int Count => _ids.Length;

    public static readonly VectorIndex Empty = new([], [], 0);

    public VectorIndex(long[] ids, float[] data, int dimensions)
    {
        if (data.Length != ids.Length * dimensions) throw new ArgumentException("data length must be ids × dimensions");
        _ids = ids; _data = data; Dimensions = dimensions;
    }

    /// <summary>The <paramref name="k"/> most similar rows, best first.</summary>
    public List<(long Id, float Score)> Search(ReadOnlySpan<float> query, int k)
    {
        if (Count == 0 || k <= 0 || query.Length != Dimensions) return [];
        k = Math.Min(k, Count);
        const int rowsPerPart = 16_384;
        int parts = Math.Min(Environment.ProcessorCount, (Count + rowsPerPart - 1) / rowsPerPart);
        if (parts <= 1) return TopK(query, 0, Count, k).ToSortedList();

        var q = query.ToArray();
        var heaps = new TopKHeap[parts];
        Parallel.For(0, parts, part =>
        {
            int from = (int)((long)Count * part / parts), to = (int)((long)Count * (part + 1) / parts);
            heaps[part] = TopK(q, from, to, k);
        });
        var merged = new TopKHeap(k);
        foreach (var heap in heaps) heap.MergeInto(merged);
        return merged.ToSortedList();
    }

    private TopKHeap TopK(ReadOnlySpan<float> query, int from, int to, int k)
    {
        var heap = new TopKHeap(k);
        var data = _data.AsSpan();
        for (int row = from; row < to; row++)
        {
            float score = TensorPrimitives.Dot(query, data.Slice(row * Dimensions, Dimensions));
            heap.Offer(_ids[row], score);
        }
        return heap;
    }

    /// <summary>A min-heap that keeps the k best scores.</summary>
    private sealed class TopKHeap(int k)
    {
        private readonly PriorityQueue<long, float> _queue = new(k + 1);

        public void Offer(long id, float score)
        {
            if (_queue.Count < k) _queue.Enqueue(id, score);
            else if (_queue.TryPeek(out _, out float worst) && score > worst) _queue.EnqueueDequeue(id, score);
        }

        public void MergeInto(TopKHeap other)
        {
            foreach (var (id, score) in _queue.UnorderedItems) other.Offer(id, score);
        }

        public List<(long Id, float Score)> ToSortedList()
        {
            var list = _queue.UnorderedItems.Select(x => (x.Element, x.Priority)).ToList();
            list.Sort((a, b) => b.Priority.CompareTo(a.Priority));
            return list;
        }
    }
}
