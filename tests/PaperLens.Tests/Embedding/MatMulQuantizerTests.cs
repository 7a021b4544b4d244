using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using PaperLens.Quantize;
using PaperLens.Quantize.Onnx;

namespace PaperLens.Tests.Embedding;

/// <summary>The build-time int8 transformation (tools/PaperLens.Quantize) on small graphs, run through ONNX Runtime.</summary>
public sealed class MatMulQuantizerTests
{
    private const int K = 16, N = 8;

    [Fact]
    public void Each_column_gets_its_own_scale_and_round_trips_within_half_a_step()
    {
        // Column c spans ±(c + 1), and column 3 is all zeros.
        var weights = new float[4 * N];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < N; c++)
                weights[r * N + c] = c == 3 ? 0 : (c + 1) * (r - 1.5f) / 1.5f;

        var (values, scales) = MatMulQuantizer.QuantizePerColumn(weights, 4, N);

        for (int c = 0; c < N; c++)
            Assert.Equal(c == 3 ? 1f : (c + 1) / 127f, scales[c], 6);
        for (int i = 0; i < weights.Length; i++)
            Assert.True(Math.Abs(values[i] * scales[i % N] - weights[i]) <= scales[i % N] / 2 + 1e-6f, $"element {i}");
        Assert.Equal(127, values[3 * N + 7]); // the largest value of a column maps to 127
        Assert.Equal(-127, values[7]);
    }

    [Fact]
    public void MatMul_with_bias_becomes_one_DynamicQuantizeMatMul_with_the_same_output()
    {
        var model = MatMulAddModel();
        var input = RandomValues(3 * K, seed: 1);
        var expected = Run(model, input);

        var summary = MatMulQuantizer.Quantize(model);

        Assert.Equal((1, 1), (summary.QuantizedMatMuls, summary.FoldedBiases));
        var node = Assert.Single(model.Graph.Node);
        Assert.Equal(("DynamicQuantizeMatMul", MatMulQuantizer.MicrosoftDomain, "y"), (node.OpType, node.Domain, node.Output[0]));
        Assert.DoesNotContain(model.Graph.Initializer, t => t.Name == "w"); // the fp32 weight is gone
        Assert.Contains(model.OpsetImport, o => o.Domain == MatMulQuantizer.MicrosoftDomain);

        var actual = Run(model, input);
        double cosine = Cosine(expected, actual);
        Assert.True(cosine > 0.999, $"cosine {cosine}");
        double largest = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 0.02 * largest, $"element {i}: {actual[i]} for {expected[i]}");
    }

    [Fact]
    public void MatMul_between_activations_is_left_alone()
    {
        var model = MatMulAddModel();
        model.Graph.Node[0].Input[1] = "x2";
        model.Graph.Input.Add(FloatInput("x2", K, N));

        var summary = MatMulQuantizer.Quantize(model);

        Assert.Equal(0, summary.QuantizedMatMuls);
        Assert.Equal(["MatMul", "Add"], model.Graph.Node.Select(n => n.OpType));
    }

    [Fact]
    public void Down_projections_can_be_kept_in_fp32()
    {
        var model = MatMulAddModel(); // w is [16, 8]: more rows than columns, a down projection

        var summary = MatMulQuantizer.Quantize(model, keepDownProjectionsFp32: true);

        Assert.Equal((0, 1), (summary.QuantizedMatMuls, summary.Fp32MatMuls));
        Assert.Equal(["MatMul", "Add"], model.Graph.Node.Select(n => n.OpType));
    }

    /// <summary>y = x · w + b, x: [3, K], w: [K, N] with columns of very different ranges.</summary>
    private static ModelProto MatMulAddModel()
    {
        var weights = RandomValues(K * N, seed: 2);
        for (int i = 0; i < weights.Length; i++)
            weights[i] *= 1 + i % N * 10;
        var graph = new GraphProto
        {
            Name = "matmul-add",
            Node =
            {
                new NodeProto { OpType = "MatMul", Input = { "x", "w" }, Output = { "xw" } },
                new NodeProto { OpType = "Add", Input = { "xw", "b" }, Output = { "y" } },
            },
            Initializer = { Tensors.Float("w", [K, N], weights), Tensors.Float("b", [N], RandomValues(N, seed: 3)) },
            Input = { FloatInput("x", 3, K) },
            Output = { FloatInput("y", 3, N) },
        };
        return new ModelProto { IrVersion = 8, OpsetImport = { new OperatorSetIdProto { Domain = "", Version = 17 } }, Graph = graph };
    }

    private static ValueInfoProto FloatInput(string name, params long[] dims) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto { Dim = { dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }) } },
            },
        },
    };

    private static float[] Run(ModelProto model, float[] input)
    {
        using var session = new InferenceSession(model.ToByteArray());
        using var x = OrtValue.CreateTensorValueFromMemory(input, [3, K]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [x], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(y => (double)y * y));
}
