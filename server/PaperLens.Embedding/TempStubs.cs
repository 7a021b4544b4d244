namespace PaperLens.Embedding;
public sealed class EmbeddingModelException(string m) : Exception(m);
public static class ModelLocator { public static string DefaultModelDirectory() => ""; }
public sealed class OnnxEmbedder { public static IEmbedder Load(string dir) => throw new NotImplementedException(); }
public static class EmbedX { public static float[][] EmbedDocuments(this IEmbedder e, IReadOnlyList<string> t, CancellationToken ct) => throw new NotImplementedException(); }
public sealed class HashingEmbedder : IEmbedder { public string ModelId => "hash"; public int Dimensions => 8; public float[] EmbedQuery(string t) => new float[8]; public float[] EmbedDocument(string t) => new float[8]; public void Dispose() { } }
