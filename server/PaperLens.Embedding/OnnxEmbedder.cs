using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;

namespace PaperLens.Embedding;

/// <summary>
/// Sentence embeddings from a BERT-family ONNX model on the CPU (or CUDA, see <see cref="EmbedderOptions.Device"/>),
/// described by a <see cref="ModelConfig"/>.
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
    /// <summary>
    /// Whether the loaded file is the int8 copy of <see cref="ModelConfig.Fp32Model"/>. Its activations are quantised
    /// over the whole input tensor, so in a padded batch a text's vector would depend on its neighbours (cosine 0.990 to
    /// its own vector measured on MiniLM): an int8 file always embeds one text per inference.
    /// </summary>
    public bool Quantized => Config.Fp32Model is { } fp32 && fp32 != Config.Model;
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
            if (options.Device == EmbeddingDevice.Cuda) UseCuda(sessionOptions, config);
            session = new InferenceSession(config.ModelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e) when (options.Device == EmbeddingDevice.Cuda)
        {
            throw CudaFailed(e);
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

    /// <summary>What <see cref="EmbeddingDevice.Cuda"/> says in a build without the GPU runtime.</summary>
    public const string CudaNotBuilt =
        "Embedding on CUDA needs the GPU build of PaperLens (dotnet build -p:PaperLensCuda=true, see docs/models.md); this build runs models on the CPU only.";

    /// <summary>Adds ONNX Runtime's CUDA provider (device 0), or says in one line why this build or model cannot.</summary>
    private static void UseCuda(SessionOptions sessionOptions, ModelConfig config)
    {
#if PAPERLENS_CUDA
        // The int8 file's quantised MatMuls are CPU-only contrib ops, and it cannot be batched (see Quantized).
        if (config.Fp32Model is { } fp32 && fp32 != config.Model)
            throw new EmbeddingModelException(
                $"On CUDA, PaperLens embeds with the model's fp32 file ({fp32}): add --fp32 (and open the index with --fp32 too, its vectors are the fp32 model's).");
        // The native library logs its own multi-line error when the CUDA libraries are missing; CudaFailed says it in one.
        var env = OrtEnv.Instance();
        var logLevel = env.EnvLogLevel;
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            sessionOptions.AppendExecutionProvider_CUDA(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw CudaFailed(e);
        }
        finally
        {
            env.EnvLogLevel = logLevel;
        }
#else
        _ = (sessionOptions, config);
        throw new EmbeddingModelException(CudaNotBuilt);
#endif
    }

    private static EmbeddingModelException CudaFailed(Exception e) => new(
        $"ONNX Runtime's CUDA provider did not start ({e.Message.Split('\n')[0].Trim()}); it needs an NVIDIA GPU and the CUDA 13 and cuDNN 9 libraries on the library path.", e);

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
    /// Embeds many passages, longest first, on <see cref="EmbedderOptions.Workers"/> threads. With
    /// <see cref="EmbedderOptions.BatchSize"/> 1, or an int8 file (see <see cref="Quantized"/>), each text is its own
    /// inference; above 1, texts of similar token length share one (padded to the longest of them and masked).
    /// Results are in input order. <paramref name="progress"/> receives the number of texts done so far.
    /// </summary>
    public float[][] EmbedDocuments(IReadOnlyList<string> texts, CancellationToken ct = default, IProgress<int>? progress = null)
    {
        var results = new float[texts.Count][];
        var ids = new int[texts.Count][];
        var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Math.Max(1, Options.Workers) };
        Parallel.For(0, texts.Count, parallel, i => ids[i] = Tokenizer.Encode(Config.DocumentPrefix + texts[i]));
        int batchSize = Quantized ? 1 : Math.Max(1, Options.BatchSize);
        var batches = Enumerable.Range(0, texts.Count).OrderByDescending(i => ids[i].Length).Chunk(batchSize).ToArray();
        int done = 0;
        Parallel.ForEach(Partitioner.Create(batches, loadBalance: true), parallel, batch =>
        {
            var vectors = EmbedTokenIdBatch(batch.Select(i => ids[i]).ToArray());
            for (int j = 0; j < batch.Length; j++) results[batch[j]] = vectors[j];
            progress?.Report(Interlocked.Add(ref done, batch.Length));
        });
        return results;
    }

    /// <summary>
    /// Runs the model on token ids that already include [CLS] and [SEP], then pools and normalises.
    /// Public so that parity checks can feed another tokenizer's ids.
    /// </summary>
    public float[] EmbedTokenIds(ReadOnlySpan<int> ids) => EmbedTokenIdBatch([ids.ToArray()])[0];

    /// <summary>
    /// One inference over several token-id sequences: shorter ones are padded to the longest, and the attention mask
    /// (and mean pooling) leaves the padding out. Vectors in input order.
    /// </summary>
    public float[][] EmbedTokenIdBatch(IReadOnlyList<int[]> batch)
    {
        int width = batch.Max(b => b.Length);
        var shape = new long[] { batch.Count, width };
        var inputs = new List<OrtValue>(_inputNames.Length);
        try
        {
            foreach (var name in _inputNames)
                inputs.Add(CreateInput(InputValues(name, batch, width), shape));
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, _inputNames, inputs, _outputNames);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            bool pooled = outputs[0].GetTensorTypeAndShape().Shape.Length == 2;
            var vectors = new float[batch.Count][];
            for (int row = 0; row < batch.Count; row++)
                vectors[row] = Pool(hidden, pooled, row, width, batch[row].Length);
            return vectors;
        }
        finally
        {
            foreach (var input in inputs)
                input.Dispose();
        }
    }

    /// <summary>One input tensor's values, row-major [batch, width]: ids padded with [PAD], the mask, or zero token types.</summary>
    private int[] InputValues(string name, IReadOnlyList<int[]> batch, int width)
    {
        var values = new int[batch.Count * width];
        if (name == TokenTypeIds) return values;
        for (int row = 0; row < batch.Count; row++)
        {
            var span = values.AsSpan(row * width, width);
            int length = batch[row].Length;
            if (name == InputIds)
            {
                batch[row].CopyTo(span);
                span[length..].Fill(Tokenizer.PadId);
            }
            else span[..length].Fill(1);
        }
        return values;
    }

    private OrtValue CreateInput(int[] values, long[] shape) => _int32Inputs
        ? OrtValue.CreateTensorValueFromMemory(values, shape)
        : OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(values, v => (long)v), shape);

    /// <summary>
    /// Pools one row of [batch, tokens, dims] hidden states over its <paramref name="length"/> real tokens (or passes a
    /// pooled [batch, dims] output through), then normalises.
    /// </summary>
    private float[] Pool(ReadOnlySpan<float> hidden, bool pooled, int row, int width, int length)
    {
        int dims = Config.Dimensions;
        var vector = new float[dims];
        if (pooled)
        {
            hidden.Slice(row * dims, dims).CopyTo(vector);
        }
        else if (Config.Pooling == Pooling.Cls)
        {
            hidden.Slice(row * width * dims, dims).CopyTo(vector);
        }
        else
        {
            for (int t = 0; t < length; t++)
                TensorPrimitives.Add(vector, hidden.Slice((row * width + t) * dims, dims), vector);
            TensorPrimitives.Divide(vector, length, vector);
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
