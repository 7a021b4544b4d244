using Google.Protobuf;
using PaperLens.Quantize.Onnx;

namespace PaperLens.Quantize;

/// <summary>
/// Dynamic int8 quantisation of an ONNX graph, per output channel: every MatMul whose second input
/// is a constant 2-D float initializer [K, N] becomes a com.microsoft <c>DynamicQuantizeMatMul</c>
/// (which ONNX Runtime's CPU provider runs on u8×s8 kernels, VNNI where the CPU has it). Each
/// column n of the weight gets its own symmetric scale max|W[:, n]| / 127, so the int8 values use
/// the full range in every column; activations are quantised to uint8 per tensor at run time.
/// A constant bias added right after the MatMul is folded into the node. Everything else
/// (embeddings, LayerNorm, the attention score MatMuls between activations) stays fp32.
/// </summary>
internal static class MatMulQuantizer
{
    public const string MicrosoftDomain = "com.microsoft";
    private const long MicrosoftOpsetVersion = 1;

    public sealed record Summary(int QuantizedMatMuls, int Fp32MatMuls, int FoldedBiases, long Fp32WeightBytes, long Int8WeightBytes);

    /// <param name="keepDownProjectionsFp32">
    /// Leave in fp32 the MatMuls whose weight has more rows than columns: the feed-forward output
    /// projections, whose post-GELU inputs are heavy-tailed and lose the most to per-tensor uint8
    /// activations (all-MiniLM-L6-v2 needs this to stay within cosine 0.995 of fp32).
    /// </param>
    public static Summary Quantize(ModelProto model, bool keepDownProjectionsFp32 = false)
    {
        var graph = model.Graph ?? throw new InvalidDataException("The model has no graph.");
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet();
        var consumers = Consumers(graph);

        int quantized = 0, folded = 0, kept = 0;
        long fp32Bytes = 0, int8Bytes = 0;
        var removedNodes = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var done = new Dictionary<string, (TensorProto Weight, TensorProto Scale)>();
        for (int n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            if (node.OpType != "MatMul" || node.Domain is not ("" or "ai.onnx") || node.Input.Count != 2
                || !initializers.TryGetValue(node.Input[1], out var weight)
                || weight.DataType != (int)TensorProto.Types.DataType.Float || weight.Dims.Count != 2)
                continue;
            if (keepDownProjectionsFp32 && weight.Dims[0] > weight.Dims[1])
            {
                kept++;
                continue;
            }

            if (!done.TryGetValue(weight.Name, out var int8))
            {
                // A weight shared by several MatMuls is quantised once.
                var (values, scales) = QuantizePerColumn(Tensors.ReadFloats(weight), (int)weight.Dims[0], (int)weight.Dims[1]);
                int8 = (Tensors.Int8(weight.Name + "_int8", weight.Dims, values), Tensors.Float(weight.Name + "_scale", [weight.Dims[1]], scales));
                graph.Initializer.Add(int8.Weight);
                graph.Initializer.Add(int8.Scale);
                done[weight.Name] = int8;
                fp32Bytes += values.Length * sizeof(float);
                int8Bytes += values.Length + scales.Length * sizeof(float);
            }
            var (quantizedWeight, scale) = int8;

            var replacement = new NodeProto
            {
                Name = node.Name + "_int8",
                OpType = "DynamicQuantizeMatMul",
                Domain = MicrosoftDomain,
                Input = { node.Input[0], quantizedWeight.Name, scale.Name },
                Output = { node.Output[0] },
            };
            if (FoldableBias(node.Output[0], weight.Dims[1], consumers, initializers, graphOutputs) is { } add)
            {
                // DynamicQuantizeMatMul(A, B, b_scale, b_zero_point, bias): no zero point (symmetric).
                replacement.Input.Add("");
                replacement.Input.Add(add.Input[0] == node.Output[0] ? add.Input[1] : add.Input[0]);
                replacement.Output[0] = add.Output[0];
                removedNodes.Add(add);
                folded++;
            }
            graph.Node[n] = replacement;
            quantized++;
        }

        if (removedNodes.Count > 0)
        {
            var remaining = graph.Node.Where(node => !removedNodes.Contains(node)).ToList();
            graph.Node.Clear();
            graph.Node.AddRange(remaining);
        }
        RemoveUnusedInitializers(graph);
        if (quantized > 0 && model.OpsetImport.All(o => o.Domain != MicrosoftDomain))
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = MicrosoftOpsetVersion });
        return new Summary(quantized, kept, folded, fp32Bytes, int8Bytes);
    }

    /// <summary>
    /// Row-major [rows, columns] weights to int8 with one symmetric scale per column. A column of
    /// zeros gets scale 1 so that dequantising gives zeros again.
    /// </summary>
    internal static (sbyte[] Values, float[] Scales) QuantizePerColumn(ReadOnlySpan<float> weights, int rows, int columns)
    {
        if (weights.Length != (long)rows * columns)
            throw new InvalidDataException($"A [{rows}, {columns}] weight holds {weights.Length} values.");
        var scales = new float[columns];
        for (int r = 0; r < rows; r++)
        {
            var row = weights.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
                scales[c] = Math.Max(scales[c], Math.Abs(row[c]));
        }
        for (int c = 0; c < columns; c++)
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;

        var values = new sbyte[weights.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                float q = MathF.Round(weights[r * columns + c] / scales[c], MidpointRounding.ToEven);
                values[r * columns + c] = (sbyte)Math.Clamp(q, -127f, 127f);
            }
        return (values, scales);
    }

    /// <summary>
    /// The Add that is the only consumer of <paramref name="matMulOutput"/> when its other input is a
    /// constant float vector of <paramref name="columns"/> values; otherwise null.
    /// </summary>
    private static NodeProto? FoldableBias(string matMulOutput, long columns, Dictionary<string, List<NodeProto>> consumers,
        Dictionary<string, TensorProto> initializers, HashSet<string> graphOutputs)
    {
        if (graphOutputs.Contains(matMulOutput) || !consumers.TryGetValue(matMulOutput, out var users) || users.Count != 1)
            return null;
        var add = users[0];
        if (add.OpType != "Add" || add.Domain is not ("" or "ai.onnx") || add.Input.Count != 2)
            return null;
        var other = add.Input[0] == matMulOutput ? add.Input[1] : add.Input[0];
        return initializers.TryGetValue(other, out var bias)
            && bias.DataType == (int)TensorProto.Types.DataType.Float
            && bias.Dims.Count == 1 && bias.Dims[0] == columns
            ? add
            : null;
    }

    private static Dictionary<string, List<NodeProto>> Consumers(GraphProto graph)
    {
        var consumers = new Dictionary<string, List<NodeProto>>();
        foreach (var node in graph.Node)
            foreach (var input in node.Input)
            {
                if (!consumers.TryGetValue(input, out var list))
                    consumers[input] = list = [];
                list.Add(node);
            }
        return consumers;
    }

    /// <summary>Drops initializers no node reads any more (the replaced fp32 weights), and their graph inputs.</summary>
    private static void RemoveUnusedInitializers(GraphProto graph)
    {
        var used = graph.Output.Select(o => o.Name).ToHashSet();
        AddInputs(graph, used);
        var unused = graph.Initializer.Where(t => !used.Contains(t.Name)).Select(t => t.Name).ToHashSet();
        if (unused.Count == 0)
            return;
        var keptInitializers = graph.Initializer.Where(t => !unused.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(keptInitializers);
        var keptInputs = graph.Input.Where(i => !unused.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(keptInputs);
    }

    /// <summary>Names read by the nodes of <paramref name="graph"/> and of its subgraphs (which may read outer names).</summary>
    private static void AddInputs(GraphProto graph, HashSet<string> names)
    {
        foreach (var node in graph.Node)
        {
            names.UnionWith(node.Input);
            foreach (var attribute in node.Attribute)
            {
                if (attribute.G is { } subgraph)
                    AddInputs(subgraph, names);
                foreach (var each in attribute.Graphs)
                    AddInputs(each, names);
            }
        }
    }
}

/// <summary>Reading and making initializer tensors.</summary>
internal static class Tensors
{
    /// <summary>The values of a float tensor, from raw_data (little-endian) or float_data.</summary>
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new InvalidDataException($"Tensor {tensor.Name} keeps its data in an external file; only self-contained models are supported.");
        if (tensor.HasRawData)
        {
            if (!BitConverter.IsLittleEndian)
                throw new PlatformNotSupportedException("raw_data is little-endian; this machine is not.");
            var raw = tensor.RawData.Span;
            if (raw.Length % sizeof(float) != 0)
                throw new InvalidDataException($"Tensor {tensor.Name} has {raw.Length} bytes of raw data, not a whole number of floats.");
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).ToArray();
        }
        return tensor.FloatData.ToArray();
    }

    public static TensorProto Int8(string name, IEnumerable<long> dims, sbyte[] values) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Int8,
        Dims = { dims },
        RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())),
    };

    public static TensorProto Float(string name, IEnumerable<long> dims, float[] values) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Float,
        Dims = { dims },
        RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())),
    };
}
