using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace PaperLens.Index;

/// <summary>
/// An HNSW graph (USearch, native library of Cloud.Unum.USearch) over a <see cref="VectorIndex"/>'s rows, kept in a file
/// beside the index and memory-mapped when opened: the dense search asks it for candidates instead of scanning every
/// row once the corpus is large (<see cref="Threshold"/>), then rescores them with the index's own codes.
/// Nodes are the vectors the codes stand for, compared by cosine (the papers' own metric: an inner product over centred
/// or whitened vectors is no metric, and HNSW found half the true neighbours with it), each scaled to fill USearch's
/// int8 range. A manifest beside the graph names each node's paper id and a fingerprint of its codes, so a graph built
/// before papers changed still serves the rows it holds and the rest are scanned. Where the native library cannot be
/// loaded (no build for the platform), <see cref="IsAvailable"/> is false and the dense search scans, as below the
/// threshold. USearch does no I/O but the file it is given: no sockets.
/// </summary>
public sealed class VectorGraph : IDisposable
{
    /// <summary>Rows from which the dense search uses a graph: below it the int8 scan takes a few milliseconds.</summary>
    public static int Threshold { get; set; } = 200_000;

    /// <summary>Neighbours per node, the build's search breadth (64: half the build time of 128) and the least search breadth.</summary>
    private const int Connectivity = 16, ExpansionAdd = 64, ExpansionSearch = 128;
    private const string ManifestMagic = "PLGRAPH1";

    private IntPtr _handle;
    private int _readers;
    private const int SearchThreads = 4;
    private readonly SemaphoreSlim _searchSlots = new(SearchThreads);
    private readonly Lock _lock = new();
    /// <summary>Paper id, scale and code fingerprint of each node, by node key.</summary>
    internal long[] Ids { get; }
    internal float[] Scales { get; }
    internal int[] Fingerprints { get; }
    public int Count => Ids.Length;
    public int Dimensions { get; }
    public string Path { get; }

    private VectorGraph(IntPtr handle, string path, int dimensions, long[] ids, float[] scales, int[] fingerprints)
    {
        _handle = handle; Path = path; Dimensions = dimensions; Ids = ids; Scales = scales; Fingerprints = fingerprints;
    }

    /// <summary>The library P/Invoke loads; tests name a missing one to check the fallback.</summary>
    internal static string Library { get; set; } = NativeLibraryName;
    private const string NativeLibraryName = "libusearch_c";
    private static readonly Dictionary<string, bool> Probed = [];

    /// <summary>Whether USearch's native library loads here (linux-x64, win-x64, osx-arm64 builds ship; darwin-x64 has none).</summary>
    public static bool IsAvailable
    {
        get
        {
            lock (Probed)
            {
                if (Probed.TryGetValue(Library, out bool ok)) return ok;
                ok = Library == NativeLibraryName && NativeLibrary.TryLoad(Library, typeof(VectorGraph).Assembly, null, out _);
                if (ok)
                {
                    try { _ = Native.usearch_version(); }
                    catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException) { ok = false; }
                }
                return Probed[Library] = ok;
            }
        }
    }

    /// <summary>The graph file for a model's vectors in an index (the manifest is this path + ".rows").</summary>
    public static string PathFor(string indexPath, string model) =>
        indexPath + "." + new string(model.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray()) + ".hnsw";

    /// <summary>Deletes a graph and its manifest.</summary>
    public static void Delete(string path)
    {
        foreach (var p in new[] { path, path + ".rows" })
            if (File.Exists(p)) File.Delete(p);
    }

    /// <summary>
    /// Builds a graph of every row of <paramref name="vectors"/> on all cores and saves it to <paramref name="path"/> (written
    /// beside, then moved over the old one); null when the native library is missing or the index is empty. Insertions
    /// on several threads land in an order that varies run to run, and so does the graph: <paramref name="threads"/> 1
    /// builds the same graph every time (tests).
    /// </summary>
    public static VectorGraph? Build(VectorIndex vectors, string path, CancellationToken ct = default, int? threads = null)
    {
        if (!IsAvailable || vectors.Count == 0) return null;
        int dims = vectors.Dimensions, count = vectors.Count;
        var handle = Create(dims);
        try
        {
            // USearch keeps one context per concurrent insertion and fails one that finds none: as many as the loop runs at once.
            // Threads first: changing them reserves again, and the capacity must be there before the first insertion.
            int inserting = threads ?? Environment.ProcessorCount;
            Native.usearch_change_threads_add(handle, (nuint)inserting, out var error);
            Check(error);
            Native.usearch_reserve(handle, (nuint)count, out error);
            Check(error);
            var fingerprints = new int[count];
            try
            {
                Parallel.For(0, count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = inserting }, () => new float[dims], (row, _, node) =>
                {
                    vectors.Decode(row, node);
                    ScaleToUnitRange(node, node);
                    fingerprints[row] = vectors.Fingerprint(row);
                    Native.usearch_add(handle, (ulong)row, node, ScalarKind.Float32, out var failed);
                    Check(failed);
                    return node;
                }, _ => { });
            }
            catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault() is VectorGraphException inner) { throw inner; }
            ct.ThrowIfCancellationRequested();
            var ids = vectors.RowIds();
            var scales = vectors.RowScales();
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            string part = path + ".part";
            Native.usearch_save(handle, part, out error);
            Check(error);
            WriteManifest(part + ".rows", dims, ids, scales, fingerprints, new FileInfo(part).Length);
            File.Move(part, path, overwrite: true);
            File.Move(part + ".rows", path + ".rows", overwrite: true);
            return new VectorGraph(handle, path, dims, ids, scales, fingerprints);
        }
        catch
        {
            Free(handle);
            throw;
        }
    }

    /// <summary>Memory-maps a saved graph; null when there is none, it does not match its manifest, or the library is missing.</summary>
    public static VectorGraph? Open(string path, int dimensions)
    {
        if (!IsAvailable || !File.Exists(path) || !File.Exists(path + ".rows")) return null;
        var manifest = ReadManifest(path + ".rows", dimensions, new FileInfo(path).Length);
        if (manifest is null) return null;
        var handle = Create(dimensions);
        try
        {
            Native.usearch_view(handle, path, out var error);
            Check(error);
            Native.usearch_change_threads_search(handle, SearchThreads, out error);
            Check(error);
            nuint size = Native.usearch_size(handle, out error);
            Check(error);
            if ((long)size != manifest.Value.Ids.Length) { Free(handle); return null; }
            return new VectorGraph(handle, path, dimensions, manifest.Value.Ids, manifest.Value.Scales, manifest.Value.Fingerprints);
        }
        catch (VectorGraphException)
        {
            Free(handle);
            return null;
        }
    }

    /// <summary>Node keys of about the <paramref name="count"/> rows most similar to <paramref name="query"/>, best first.</summary>
    public ulong[] Search(ReadOnlySpan<float> query, int count)
    {
        if (query.Length != Dimensions || count <= 0) return [];
        var scaled = new float[Dimensions];
        ScaleToUnitRange(query, scaled);
        var keys = new ulong[count];
        var distances = new float[count];
        nuint found;
        IntPtr error;
        // One USearch context per search running at once (it fails a search that finds none): the others wait.
        _searchSlots.Wait();
        try
        {
            lock (_lock) // against Dispose
            {
                if (_handle == IntPtr.Zero) return [];
                _readers++;
            }
            try { found = Native.usearch_search(_handle, scaled, ScalarKind.Float32, (nuint)count, keys, distances, out error); }
            finally { lock (_lock) _readers--; }
        }
        finally { _searchSlots.Release(); }
        Check(error);
        return keys[..(int)found];
    }

    /// <summary>
    /// USearch stores and compares int8 of value × 127: a vector divided by its largest magnitude uses that whole range, and
    /// its cosine to any other is unchanged.
    /// </summary>
    private static void ScaleToUnitRange(ReadOnlySpan<float> vector, Span<float> destination)
    {
        float max = MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(vector));
        if (max > 0) System.Numerics.Tensors.TensorPrimitives.Multiply(vector, 1 / max, destination);
        else vector.CopyTo(destination);
    }

    private static IntPtr Create(int dimensions)
    {
        // USearch widens a search to the count asked for: the expansion is only a floor.
        var options = new IndexOptions(MetricKind.Cos, IntPtr.Zero, ScalarKind.Int8, (ulong)dimensions, Connectivity, ExpansionAdd, ExpansionSearch, false);
        var handle = Native.usearch_init(ref options, out var error);
        Check(error);
        return handle;
    }

    private static void Free(IntPtr handle)
    {
        if (handle != IntPtr.Zero) Native.usearch_free(handle, out _);
    }

    private static void Check(IntPtr error)
    {
        if (error != IntPtr.Zero) throw new VectorGraphException("USearch: " + Marshal.PtrToStringUTF8(error));
    }

    private static void WriteManifest(string path, int dims, long[] ids, float[] scales, int[] fingerprints, long graphBytes)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(System.Text.Encoding.ASCII.GetBytes(ManifestMagic));
        writer.Write(dims);
        writer.Write(ids.Length);
        writer.Write(graphBytes);
        writer.Write(MemoryMarshal.AsBytes(ids.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(scales.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(fingerprints.AsSpan()));
    }

    private static (long[] Ids, float[] Scales, int[] Fingerprints)? ReadManifest(string path, int dims, long graphBytes)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (System.Text.Encoding.ASCII.GetString(reader.ReadBytes(ManifestMagic.Length)) != ManifestMagic) return null;
            if (reader.ReadInt32() != dims) return null;
            int count = reader.ReadInt32();
            if (reader.ReadInt64() != graphBytes || count < 0 || reader.BaseStream.Length - reader.BaseStream.Position != count * 16L) return null;
            var ids = new long[count];
            var scales = new float[count];
            var fingerprints = new int[count];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(ids.AsSpan()));
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(scales.AsSpan()));
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(fingerprints.AsSpan()));
            return (ids, scales, fingerprints);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException) { return null; }
    }

    /// <summary>Frees the graph once no search runs on it.</summary>
    public void Dispose()
    {
        while (true)
        {
            lock (_lock)
            {
                if (_readers == 0)
                {
                    Free(_handle);
                    _handle = IntPtr.Zero;
                    return;
                }
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>The entry points of USearch's C API used here (usearch.h); the options struct is the package's.</summary>
    private static class Native
    {
        [DllImport(NativeLibraryName)] public static extern IntPtr usearch_version();
        [DllImport(NativeLibraryName)] public static extern IntPtr usearch_init(ref IndexOptions options, out IntPtr error);
        [DllImport(NativeLibraryName)] public static extern void usearch_free(IntPtr index, out IntPtr error);
        [DllImport(NativeLibraryName)] public static extern void usearch_reserve(IntPtr index, nuint capacity, out IntPtr error);
        [DllImport(NativeLibraryName)] public static extern void usearch_change_threads_add(IntPtr index, nuint threads, out IntPtr error);
        [DllImport(NativeLibraryName)] public static extern void usearch_change_threads_search(IntPtr index, nuint threads, out IntPtr error);
                [DllImport(NativeLibraryName)] public static extern void usearch_add(IntPtr index, ulong key, float[] vector, ScalarKind kind, out IntPtr error);
        [DllImport(NativeLibraryName)] public static extern nuint usearch_size(IntPtr index, out IntPtr error);
        [DllImport(NativeLibraryName)] public static extern nuint usearch_search(IntPtr index, float[] query, ScalarKind kind, nuint count, [Out] ulong[] keys, [Out] float[] distances, out IntPtr error);
        [DllImport(NativeLibraryName, CharSet = CharSet.Ansi, BestFitMapping = false)] public static extern void usearch_save(IntPtr index, string path, out IntPtr error);
        [DllImport(NativeLibraryName, CharSet = CharSet.Ansi, BestFitMapping = false)] public static extern void usearch_view(IntPtr index, string path, out IntPtr error);
    }
}

/// <summary>USearch reported an error (a damaged graph file, no memory): the dense search scans instead.</summary>
public sealed class VectorGraphException(string message) : Exception(message);
