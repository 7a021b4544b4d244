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
        "rrf_cos_sentence",  // 61 / (60 + rank) in the list of the sentence window's cosine
        "rrf_cos_cursor_sentence", // the same for the cursor's sentence alone: its cosine, its BM25 on title and on abstract
        "rrf_lex_cursor_sentence_title",
        "rrf_lex_cursor_sentence_abstract",
        "clause_in_title",   // share of the words of the last clause before the cursor ("… optimised with") in its title
    ];

    public static readonly int Count = Names.Length;

    public static int Index(string name) =>
        Array.IndexOf(Names, name) is >= 0 and var i ? i : throw new ArgumentException($"unknown ranking feature '{name}'");
}

/// <summary>
/// A regression tree over <see cref="RankingFeatures"/>, its nodes in arrays: node i splits on feature
/// <see cref="Feature"/>[i] (x ≤ <see cref="Threshold"/>[i] goes to <see cref="Left"/>[i], else <see cref="Right"/>[i]), or is
/// a leaf (feature −1) worth <see cref="Value"/>[i]. Node 0 is the root.
/// </summary>
public sealed record RegressionTree(int[] Feature, double[] Threshold, int[] Left, int[] Right, double[] Value)
{
    public double Score(ReadOnlySpan<double> features)
    {
        int node = 0;
        while (Feature[node] >= 0) node = features[Feature[node]] <= Threshold[node] ? Left[node] : Right[node];
        return Value[node];
    }
}

/// <summary>
/// The ranker's scorer over <see cref="RankingFeatures"/>: score = Σ weight × feature, plus the sum of a few shallow
/// boosted trees (<see cref="RankingEval.FitBoosted"/>) where the data file ships them.
/// </summary>
public sealed record RankingWeights(double[] Values, string Note = "", IReadOnlyList<RegressionTree>? Trees = null)
{
    private const string ResourcePrefix = "PaperLens.Features.Ranking.ranking-weights";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, RankingWeights> ByModel = new(StringComparer.Ordinal);

    /// <summary>What <see cref="Uses"/> found, with the arrays it was found for: a <c>with</c> copy carries the field along.</summary>
    private sealed record FeatureUse(double[] Values, IReadOnlyList<RegressionTree>? Trees, bool[] Used);
    private FeatureUse? _use;

    /// <summary>Whether the score reads feature <paramref name="feature"/> (a non-zero weight or a tree split on it).</summary>
    public bool Uses(int feature)
    {
        var use = _use;
        if (use is null || !ReferenceEquals(use.Values, Values) || !ReferenceEquals(use.Trees, Trees))
            _use = use = new FeatureUse(Values, Trees, UsedFeatures());
        return feature < use.Used.Length && use.Used[feature];
    }

    /// <summary>Whether the score reads every feature: then a ranking computes them all, asked to or not.</summary>
    public bool UsesEvery
    {
        get
        {
            for (int i = 0; i < RankingFeatures.Count; i++) if (!Uses(i)) return false;
            return true;
        }
    }

    private bool[] UsedFeatures()
    {
        var used = Values.Select(v => v != 0).ToArray();
        foreach (var tree in Trees ?? [])
            foreach (int f in tree.Feature)
                if (f >= 0) used[f] = true;
        return used;
    }
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
        if (Trees is { } trees) for (int t = 0; t < trees.Count; t++) s += trees[t].Score(features); // no enumerator per candidate
        return s;
    }

    /// <summary>
    /// The data file: {"note", "weights": {feature: weight}, "trees": [{"nodes": [[feature, threshold, left, right] or
    /// [leaf value]]}]}; features by name, so a file stays readable when features are added.
    /// </summary>
    public static RankingWeights Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var values = new double[RankingFeatures.Count];
        foreach (var p in doc.RootElement.GetProperty("weights").EnumerateObject()) values[RankingFeatures.Index(p.Name)] = p.Value.GetDouble();
        List<RegressionTree>? trees = null;
        if (doc.RootElement.TryGetProperty("trees", out var treesJson))
            trees = treesJson.EnumerateArray().Select(t => ParseTree(t.GetProperty("nodes"))).ToList();
        return new RankingWeights(values, doc.RootElement.TryGetProperty("note", out var n) ? n.GetString() ?? "" : "", trees);
    }

    private static RegressionTree ParseTree(JsonElement nodes)
    {
        int count = nodes.GetArrayLength();
        var (feature, threshold, left, right, value) = (new int[count], new double[count], new int[count], new int[count], new double[count]);
        int i = 0;
        foreach (var node in nodes.EnumerateArray())
        {
            if (node.GetArrayLength() == 1) { feature[i] = -1; value[i] = node[0].GetDouble(); }
            else
            {
                (feature[i], threshold[i], left[i], right[i]) = (RankingFeatures.Index(node[0].GetString()!), node[1].GetDouble(), node[2].GetInt32(), node[3].GetInt32());
                if (left[i] <= i || right[i] <= i || left[i] >= count || right[i] >= count) throw new FormatException($"tree node {i}: children must follow it");
            }
            i++;
        }
        return new RegressionTree(feature, threshold, left, right, value);
    }

    public string ToJson(string note)
    {
        // A linear file is rounded for reading; beside trees the weights stay exact (the trees were boosted on them).
        bool exact = Trees is { Count: > 0 };
        var weights = RankingFeatures.Names.Select((n, i) => (n, Values[i])).ToDictionary(x => x.n, x => exact ? x.Item2 : Math.Round(x.Item2, 4));
        var options = new JsonSerializerOptions { WriteIndented = true };
        if (Trees is not { Count: > 0 }) return JsonSerializer.Serialize(new { note, weights }, options) + "\n";
        // One line per tree: thresholds and leaves written exactly (round-trip doubles), so the file scores as the fit did.
        var trees = Trees.Select(t => new
        {
            nodes = t.Feature.Select((f, i) => f < 0 ? new object[] { t.Value[i] } : [RankingFeatures.Names[f], t.Threshold[i], t.Left[i], t.Right[i]]).ToArray(),
        });
        string head = JsonSerializer.Serialize(new { note, weights }, options);
        string treeLines = string.Join(",\n", trees.Select(t => "    " + JsonSerializer.Serialize(t)));
        return head[..head.LastIndexOf('}')].TrimEnd() + ",\n  \"trees\": [\n" + treeLines + "\n  ]\n}\n";
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
            .Select(x => $"{x.n}={x.Item2.ToString("0.###", CultureInfo.InvariantCulture)}"))
        + (Trees is { Count: > 0 } ? $"; {Trees.Count} trees" : "");
}
