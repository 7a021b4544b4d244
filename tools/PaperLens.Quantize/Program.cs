using Google.Protobuf;
using PaperLens.Quantize;
using PaperLens.Quantize.Onnx;

// Usage: PaperLens.Quantize <model.onnx> <model.int8.onnx> [--keep-down-projections-fp32]. Run by the
// build after the models are extracted (server/PaperLens.Embedding/ExtractModel.targets).
const string KeepDownProjections = "--keep-down-projections-fp32";
var files = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var unknown = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a != KeepDownProjections).ToArray();
if (files.Length != 2 || unknown.Length > 0)
{
    Console.Error.WriteLine($"usage: PaperLens.Quantize <input.onnx> <output.int8.onnx> [{KeepDownProjections}]");
    return 2;
}
var (input, output) = (files[0], files[1]);
try
{
    ModelProto model;
    using (var stream = File.OpenRead(input))
        model = ModelProto.Parser.ParseFrom(stream);

    var summary = MatMulQuantizer.Quantize(model, keepDownProjectionsFp32: args.Contains(KeepDownProjections));
    if (summary.QuantizedMatMuls == 0)
    {
        Console.Error.WriteLine($"{input}: no MatMul with a constant 2-D float weight; nothing to quantise.");
        return 1;
    }

    // Written beside the target and renamed, so that an interrupted run never leaves a half file.
    var temporary = $"{output}.{Environment.ProcessId}.tmp";
    using (var stream = File.Create(temporary))
        model.WriteTo(stream);
    File.Move(temporary, output, overwrite: true);
    Console.WriteLine($"{output}: {summary.QuantizedMatMuls} MatMul weights to int8 per output channel "
        + $"({summary.Fp32WeightBytes / 1048576.0:F1} MiB fp32 -> {summary.Int8WeightBytes / 1048576.0:F1} MiB), "
        + $"{summary.Fp32MatMuls} kept in fp32, {summary.FoldedBiases} biases folded, "
        + $"{new FileInfo(input).Length / 1048576.0:F1} -> {new FileInfo(output).Length / 1048576.0:F1} MiB in all");
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidProtocolBufferException or InvalidDataException)
{
    Console.Error.WriteLine($"PaperLens.Quantize: {input}: {e.Message}");
    return 1;
}
