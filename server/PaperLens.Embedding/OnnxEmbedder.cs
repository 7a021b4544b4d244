using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;

namespace PaperLens.Embedding;

/// <summary>
/// Sentence embeddings from a BERT-family ONNX model on the CPU, described by a <see cref="ModelConfig"/>.
/// One <see cref="InferenceSession"/> is shared by all callers (ONNX Runtime sessions are thread-safe).
/// </summary>
public sealed class OnnxEmbedder : IEmbedder
{
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";

    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _int32Inputs;

    public ModelConfig Config { get; }
    public ModelTokenizer Tokenizer { get; }
    public EmbedderOptions Options { get; }
    public string ModelId { get; }
    public int Dimensions => Config.Dimensions;
    /// <summary>Whether the graph takes token_type_ids (fed as zeros); read from its input metadata.</summary>
    public bool UsesTokenTypeIds { get; }

    private OnnxEmbedder(ModelConfig config, ModelTokenizer tokenizer, InferenceSession session, EmbedderOptions options)
    {
        Config = config;
        Tokenizer = tokenizer;
        Options = options;
        _session = session;

        var inputs = session.InputMetadata;
        if (!inputs.ContainsKey(InputIds))
            throw new EmbeddingModelException(
                $"{config.ModelPath} has no '{InputIds}' input (it has: {string.Join(", ", inputs.Keys)}); it is not a BERT-style encoder.");
        var unknown = inputs.Keys.Except([InputIds, AttentionMask, TokenTypeIds]).ToList();
        if (unknown.Count > 0)
            throw new EmbeddingModelException(
                $"{config.ModelPath} needs inputs PaperLens cannot provide: {string.Join(", ", unknown)}.");
        UsesTokenTypeIds = inputs.ContainsKey(TokenTypeIds);
        _inputNames = inputs.Keys.ToArray();
        _int32Inputs = inputs[InputIds].ElementType == typeof(int);

        var output = session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : session.OutputNames[0];
        int width = session.OutputMetadata[output].Dimensions[^1];
        if (width > 0 && width != config.Dimensions)
            throw new EmbeddingModelException(
                $"{ModelConfig.FileName} in {config.Directory} says \"dimensions\": {config.Dimensions}, but the model's output '{output}' has {width}.");
        _outputNames = [output];

        ModelId = $"{config.Name}@{Fingerprint(config)}";
    }

    /// <summary>Loads the model in <paramref name="modelDir"/> (a folder holding model.json).</summary>
    /// <exception cref="EmbeddingModelException">A file is missing or unreadable; the message says which.</exception>
    public static OnnxEmbedder Load(string modelDir, EmbedderOptions? options = null)
    {
        options ??= EmbedderOptions.Default;
        var config = ModelConfig.Load(modelDir);
        if (options.FullPrecision && config.Fp32Model is { } fp32)
            config = config with { Model = fp32 };
        var tokenizer = ModelTokenizer.Load(config);
        if (!File.Exists(config.ModelPath))
            throw new EmbeddingModelException(
                $"The model file {config.ModelPath} named in {ModelConfig.FileName} is missing. {EmbeddingModelException.Remedy}");

        InferenceSession session;
        try
        {
            DisableTelemetry();
            using var sessionOptions = new SessionOptions
            {
                IntraOpNumThreads = Math.Max(1, options.IntraOpThreads),
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            session = new InferenceSession(config.ModelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EmbeddingModelException(
                $"Cannot load the ONNX model {config.ModelPath}: {e.Message}. The file may be damaged; delete it and {EmbeddingModelException.Remedy}", e);
        }
        catch (Exception e) when (MissingNativeLibrary(e) is { } missing)
        {
            throw new EmbeddingModelException(
                $"ONNX Runtime's native library cannot be loaded on {RuntimeInformation.RuntimeIdentifier} ({missing.Message.Split(". ")[0].TrimEnd('.')}). "
                + "Its NuGet package ships none for some platforms, such as Intel Macs (osx-x64).", e);
        }

        try
        {
            return new OnnxEmbedder(config, tokenizer, session, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The library load failure behind <paramref name="e"/>: the first call into ONNX Runtime runs its native-methods type
    /// initializer, which wraps a missing or foreign library (DllNotFoundException, BadImageFormatException) or a missing
    /// export (EntryPointNotFoundException) in a TypeInitializationException, raised again on every later call.
    /// </summary>
    internal static Exception? MissingNativeLibrary(Exception e) => e switch
    {
        DllNotFoundException or EntryPointNotFoundException or BadImageFormatException => e,
        TypeInitializationException { InnerException: { } inner } => MissingNativeLibrary(inner),
        _ => null,
    };

    /// <summary>
    /// Turns off ONNX Runtime's telemetry (an event queue under ~/.cache/Microsoft/DeveloperTools/.onnxruntime
    /// and uploads to Microsoft) before the first session: PaperLens runs offline. The native library starts its
    /// telemetry store while it creates the environment, before <see cref="OrtEnv.DisableTelemetryEvents"/> can
    /// be called, unless ORT_DISABLE_TELEMETRY is in the process environment; so both are set.
    /// </summary>
    private static void DisableTelemetry()
    {
        lock (TelemetryLock)
        {
            if (_telemetryDisabled) return;
            // .NET keeps its own copy of the environment on Unix; the native getenv sees only libc's.
            if (OperatingSystem.IsWindows()) Environment.SetEnvironmentVariable(OrtDisableTelemetry, "1");
            else SetNativeEnvironment(OrtDisableTelemetry, "1", overwrite: 1);
            OrtEnv.Instance().DisableTelemetryEvents();
            _telemetryDisabled = true;
        }
    }

    private const string OrtDisableTelemetry = "ORT_DISABLE_TELEMETRY";
    private static readonly Lock TelemetryLock = new();
    private static bool _telemetryDisabled;

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetNativeEnvironment(string name, string value, int overwrite);

    /// <summary>Like <see cref="Load"/>, but returns a user-facing message instead of throwing.</summary>
    public static bool TryLoad(string modelDir, [NotNullWhen(true)] out OnnxEmbedder? embedder,
        [NotNullWhen(false)] out string? error, EmbedderOptions? options = null)
    {
        try
        {
            embedder = Load(modelDir, options);
            error = null;
            return true;
        }
        catch (EmbeddingModelException e)
        {
            embedder = null;
            error = e.Message;
            return false;
        }
    }

    public float[] EmbedQuery(string text) => EmbedTokenIds(Tokenizer.Encode(Config.QueryPrefix + text));

    public float[] EmbedDocument(string text) => EmbedTokenIds(Tokenizer.Encode(Config.DocumentPrefix + text));

    /// <summary>
    /// Embeds many passages, longest first, on <see cref="EmbedderOptions.Workers"/> threads, each text
    /// its own batch-1 inference (padding texts into batches only wastes work on long abstracts).
    /// Results are in input order. <paramref name="progress"/> receives the number of texts done so far.
    /// </summary>
    public float[][] EmbedDocuments(IReadOnlyList<string> texts, CancellationToken ct = default, IProgress<int>? progress = null)
    {
        var results = new float[texts.Count][];
        var longestFirst = Enumerable.Range(0, texts.Count).OrderByDescending(i => texts[i].Length).ToArray();
        int done = 0;
        var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Math.Max(1, Options.Workers) };
        Parallel.ForEach(Partitioner.Create(longestFirst, loadBalance: true), parallel, i =>
        {
            results[i] = EmbedDocument(texts[i]);
            int count = Interlocked.Increment(ref done);
            progress?.Report(count);
        });
        return results;
    }

    /// <summary>
    /// Runs the model on token ids that already include [CLS] and [SEP], then pools and normalises.
    /// Public so that parity checks can feed another tokenizer's ids.
    /// </summary>
    public float[] EmbedTokenIds(ReadOnlySpan<int> ids)
    {
        var shape = new long[] { 1, ids.Length };
        var inputs = new List<OrtValue>(_inputNames.Length);
        try
        {
            foreach (var name in _inputNames)
                inputs.Add(CreateInput(name, ids, shape));
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, _inputNames, inputs, _outputNames);
            return Pool(outputs[0]);
        }
        finally
        {
            foreach (var input in inputs)
                input.Dispose();
        }
    }

    private OrtValue CreateInput(string name, ReadOnlySpan<int> ids, long[] shape)
    {
        if (_int32Inputs)
        {
            var values = new int[ids.Length];
            if (name == InputIds) ids.CopyTo(values);
            else if (name == AttentionMask) values.AsSpan().Fill(1);
            return OrtValue.CreateTensorValueFromMemory(values, shape);
        }
        var longs = new long[ids.Length];
        if (name == InputIds)
            for (int i = 0; i < ids.Length; i++) longs[i] = ids[i];
        else if (name == AttentionMask)
            longs.AsSpan().Fill(1);
        return OrtValue.CreateTensorValueFromMemory(longs, shape);
    }

    /// <summary>Pools [1, tokens, dims] hidden states (or passes a pooled [1, dims] output through).</summary>
    private float[] Pool(OrtValue output)
    {
        var hidden = output.GetTensorDataAsSpan<float>();
        var shape = output.GetTensorTypeAndShape().Shape;
        int dims = Config.Dimensions;
        var vector = new float[dims];
        if (shape.Length == 2 || Config.Pooling == Pooling.Cls)
        {
            hidden[..dims].CopyTo(vector);
        }
        else
        {
            int tokens = (int)shape[1];
            for (int t = 0; t < tokens; t++)
                TensorPrimitives.Add(vector, hidden.Slice(t * dims, dims), vector);
            TensorPrimitives.Divide(vector, tokens, vector);
        }
        if (Config.Normalize)
            VectorMath.NormalizeInPlace(vector);
        return vector;
    }

    /// <summary>Hash of model.json and the model and vocabulary sizes: changes when the model does.</summary>
    private static string Fingerprint(ModelConfig config)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(Path.Combine(config.Directory, ModelConfig.FileName)));
        hash.AppendData(BitConverter.GetBytes(new FileInfo(config.ModelPath).Length));
        hash.AppendData(BitConverter.GetBytes(new FileInfo(config.VocabPath).Length));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }

    public void Dispose() => _session.Dispose();
}
