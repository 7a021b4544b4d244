using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace PaperLens.Features.Ranking;

/// <summary>The features the ranker scores a candidate by; <see cref="RankingWeights"/> names them in its data file.</summary>
public static class RankingFeatures
{
    public static readonly string[] Names =
    [
        "lex_paragraph",     // BM25 of the paragraph over title, authors and abstract, / the best score
        "lex_sentence_title",
        "lex_sentence_abstract",
        "lex_global",        // BM25 of the draft's title and abstract
        "cos_paragraph",     // cosine to the paragraph, minus the best cosine
        "cos_sentence",
        "cos_global",
        "rrf_lex_paragraph", // 61 / (60 + rank): the reciprocal-rank form, as the old fusion used
        "rrf_cos_paragraph",
        "cited_in_draft",    // log(1 + times cited elsewhere in this draft)
        "cited_in_workspace",
        "cocited",           // log(1 + paragraphs of the workspace citing it together with a paper this paragraph cites)
        "author_overlap",    // share of its authors among the authors of papers the draft cites
        "in_paragraph",      // already cited in this paragraph
        "has_abstract",
        "cos_cursor_sentence", // cosine to the cursor's sentence alone (without the one before)
        "lex_cursor_sentence_title", // BM25 of the cursor's sentence alone, title / abstract
        "lex_cursor_sentence_abstract",
        "names_author",      // the cursor's sentence names its first author (1) or another author (0.5): "Devlin et al."
        "key_in_sentence",   // words of its bib key in the cursor's sentence, 0.5 each up to 2 ("kingma2014adam": adam)
        "title_term_in_sentence", // a name-like term of the cursor's sentence (BERT, ImageNet) is a word of its title
        "key_share",         // 1 / the site's candidates sharing its rarest key word named in the cursor's sentence
        "title_term_share",  // the same for the name-like terms found in its title
    ];

    public static readonly int Count = Names.Length;

    public static int Index(string name) =>
        Array.IndexOf(Names, name) is >= 0 and var i ? i : throw new ArgumentException($"unknown ranking feature '{name}'");
}

/// <summary>A linear scorer over <see cref="RankingFeatures"/>: score = Σ weight × feature.</summary>
public sealed record RankingWeights(double[] Values, string Note = "")
{
    private const string ResourcePrefix = "PaperLens.Features.Ranking.ranking-weights";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, RankingWeights> ByModel = new(StringComparer.Ordinal);

    /// <summary>
    /// The shipped weights fitted with the model whose id is <paramref name="modelId"/> ("name@hash"): the resource
    /// Ranking/ranking-weights.&lt;name&gt;.json where the build ships one, else <see cref="Default"/>. Cosines differ in
    /// scale between models, so each model's fit ranks better with its own cosines.
    /// </summary>
    public static RankingWeights ForModel(string? modelId)
    {
        if (modelId is null) return Default;
        int at = modelId.IndexOf('@');
        string name = at < 0 ? modelId : modelId[..at];
        return ByModel.GetOrAdd(name, n => LoadShipped($"{ResourcePrefix}.{n}.json") ?? Default);
    }

    public static RankingWeights Of(params (string Name, double Weight)[] weights)
    {
        var values = new double[RankingFeatures.Count];
        foreach (var (name, weight) in weights) values[RankingFeatures.Index(name)] = weight;
        return new RankingWeights(values);
    }

    /// <summary>The ranking before this scorer: equal-weight reciprocal rank fusion of paragraph BM25 and cosine.</summary>
    public static RankingWeights ReciprocalRankFusion { get; } = Of(("rrf_lex_paragraph", 1), ("rrf_cos_paragraph", 1));
    public static RankingWeights Bm25 { get; } = Of(("lex_paragraph", 1));
    public static RankingWeights Dense { get; } = Of(("cos_paragraph", 1));

    /// <summary>
    /// The shipped weights (Ranking/ranking-weights.json, fitted by `paperlens eval-editor --fit-out`) for the default model;
    /// declared after <see cref="ReciprocalRankFusion"/>, its fallback, since static fields start in this order.
    /// </summary>
    public static RankingWeights Default { get; } = LoadShipped(ResourcePrefix + ".json") ?? ReciprocalRankFusion;

    public double Score(ReadOnlySpan<double> features)
    {
        double s = 0;
        for (int i = 0; i < Values.Length; i++) s += Values[i] * features[i];
        return s;
    }

    public static RankingWeights Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var values = new double[RankingFeatures.Count];
        foreach (var p in doc.RootElement.GetProperty("weights").EnumerateObject()) values[RankingFeatures.Index(p.Name)] = p.Value.GetDouble();
        return new RankingWeights(values, doc.RootElement.TryGetProperty("note", out var n) ? n.GetString() ?? "" : "");
    }

    public string ToJson(string note)
    {
        var weights = RankingFeatures.Names.Select((n, i) => (n, Values[i])).ToDictionary(x => x.n, x => Math.Round(x.Item2, 4));
        return JsonSerializer.Serialize(new { note, weights }, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static RankingWeights? LoadShipped(string resourceName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resourceName);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    public override string ToString() =>
        string.Join(", ", RankingFeatures.Names.Select((n, i) => (n, Values[i])).Where(x => x.Item2 != 0)
            .Select(x => $"{x.n}={x.Item2.ToString("0.###", CultureInfo.InvariantCulture)}"));
}
