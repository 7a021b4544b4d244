using System.Numerics.Tensors;

namespace PaperLens.Features.Ranking;

/// <summary>
/// One evaluated citation site: the ranker's candidates (features and keys, in any order), which are the cited papers, and
/// how many papers were cited (those the ranking did not list count as missed).
/// </summary>
public sealed record EvalCase(string Document, double[][] Features, string[] Keys, bool[] Relevant, int CitedCount)
{
    public static EvalCase Of(string document, IReadOnlyList<RankedPaper> ranked, IReadOnlySet<string> relevantKeys, int? citedCount = null) =>
        new(document, ranked.Select(r => r.Features).ToArray(), ranked.Select(r => r.Key).ToArray(), ranked.Select(r => relevantKeys.Contains(r.Key)).ToArray(),
            Math.Max(1, citedCount ?? relevantKeys.Count));

    public int RelevantCount { get; } = Relevant.Count(r => r);
}

/// <summary>Recall at 1/5/10/20 and MRR (first cited paper in the top 100) over sites.</summary>
public sealed record EvalFigures(double[] Recall, double Mrr, int Sites);

/// <summary>
/// Scores rankings of <see cref="EvalCase"/>s under a set of weights, in the order <see cref="CitationRanker.Order"/> gives
/// (score, then key), fits weights (a listwise softmax model) with cross-validation by citing document, and bootstraps
/// confidence intervals over citing documents.
/// </summary>
public static class RankingEval
{
    public static readonly int[] Cutoffs = [1, 5, 10, 20];
    public const int MrrDepth = 100;

    /// <summary>Candidate indices best first.</summary>
    public static int[] Order(EvalCase c, RankingWeights w)
    {
        var scores = c.Features.Select(f => w.Score(f)).ToArray();
        var order = Enumerable.Range(0, c.Keys.Length).ToArray();
        Array.Sort(order, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : string.CompareOrdinal(c.Keys[a], c.Keys[b]));
        return order;
    }

    public static double ReciprocalRank(EvalCase c, RankingWeights w)
    {
        var order = Order(c, w);
        for (int i = 0; i < Math.Min(order.Length, MrrDepth); i++) if (c.Relevant[order[i]]) return 1.0 / (i + 1);
        return 0;
    }

    public static EvalFigures Score(IReadOnlyList<EvalCase> cases, Func<EvalCase, RankingWeights> weights)
    {
        var recall = new double[Cutoffs.Length];
        double mrr = 0;
        foreach (var c in cases)
        {
            var order = Order(c, weights(c));
            for (int k = 0; k < Cutoffs.Length; k++) recall[k] += order.Take(Cutoffs[k]).Count(i => c.Relevant[i]) / (double)Math.Max(c.CitedCount, c.RelevantCount);
            int first = Array.FindIndex(order, i => c.Relevant[i]);
            if (first is >= 0 and < MrrDepth) mrr += 1.0 / (first + 1);
        }
        int n = Math.Max(1, cases.Count);
        return new EvalFigures(recall.Select(r => r / n).ToArray(), mrr / n, cases.Count);
    }

    /// <summary>The 95% bootstrap interval of mean(a − b) per site, resampling citing documents.</summary>
    public static (double Mean, double Low, double High) Bootstrap(IReadOnlyList<EvalCase> cases, Func<EvalCase, RankingWeights> a, Func<EvalCase, RankingWeights> b, int samples = 1000, int seed = 7)
    {
        var byDoc = cases.GroupBy(c => c.Document).Select(g => g.Select(c => ReciprocalRank(c, a(c)) - ReciprocalRank(c, b(c))).ToArray()).ToArray();
        if (byDoc.Length == 0) return (0, 0, 0);
        double mean = byDoc.SelectMany(d => d).Average();
        var rng = new Random(seed);
        var means = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            double sum = 0; int count = 0;
            for (int d = 0; d < byDoc.Length; d++)
            {
                var doc = byDoc[rng.Next(byDoc.Length)];
                foreach (var x in doc) sum += x;
                count += doc.Length;
            }
            means[s] = sum / Math.Max(1, count);
        }
        Array.Sort(means);
        return (mean, means[(int)(0.025 * samples)], means[Math.Min(samples - 1, (int)(0.975 * samples))]);
    }

    /// <summary>Weights for each site fitted on the other folds (documents assigned to folds by a hash of their id).</summary>
    public static Func<EvalCase, RankingWeights> CrossValidated(IReadOnlyList<EvalCase> cases, IReadOnlyList<int> features, int folds = 5)
    {
        var fitted = new RankingWeights[folds];
        Parallel.For(0, folds, f => fitted[f] = Fit(cases.Where(c => FoldOf(c.Document, folds) != f).ToList(), features));
        return c => fitted[FoldOf(c.Document, folds)];
    }

    public static int FoldOf(string document, int folds)
    {
        uint h = 2166136261;
        foreach (char ch in document) h = (h ^ ch) * 16777619;
        return (int)(h % (uint)folds);
    }

    /// <summary>
    /// A linear scorer over <paramref name="features"/> maximising the softmax likelihood of the cited papers among each site's
    /// candidates (Adam, fixed steps, a little L2), so the fit is deterministic. It trains on every candidate: a pool cut by
    /// one list's order never shows the fit the papers that only another list (the sentence's) brings in, and on a whole
    /// corpus such weights ranked below BM25.
    /// </summary>
    public static RankingWeights Fit(IReadOnlyList<EvalCase> cases, IReadOnlyList<int> features, int steps = 200, double rate = 0.05, double l2 = 1e-3)
    {
        int nf = features.Count;
        // Each site's candidates as column-major feature columns (n values per fitted feature), and its targets (the cited share).
        var sites = cases.Where(c => c.RelevantCount > 0 && c.Keys.Length > 1).Select(c =>
        {
            int n = c.Keys.Length;
            var x = new double[nf * n];
            for (int j = 0; j < nf; j++) for (int i = 0; i < n; i++) x[j * n + i] = c.Features[i][features[j]];
            var t = c.Relevant.Select(r => r ? 1.0 / c.RelevantCount : 0).ToArray();
            return (X: x, T: t);
        }).ToList();
        var w = new double[nf];
        var m = new double[nf];
        var v = new double[nf];
        var grad = new double[nf];
        var buffer = new double[sites.Count == 0 ? 0 : sites.Max(x => x.T.Length)];
        for (int step = 1; step <= steps && sites.Count > 0; step++)
        {
            Array.Clear(grad);
            foreach (var (x, t) in sites)
            {
                int n = t.Length;
                var s = buffer.AsSpan(0, n);
                s.Clear();
                for (int j = 0; j < nf; j++) TensorPrimitives.MultiplyAdd(x.AsSpan(j * n, n), w[j], s, s);
                // The softmax's gradient: p − t, with p = exp(s − max) / Σ.
                TensorPrimitives.Subtract(s, TensorPrimitives.Max(s), s);
                TensorPrimitives.Exp(s, s);
                TensorPrimitives.Multiply(s, 1 / TensorPrimitives.Sum(s), s);
                TensorPrimitives.Subtract(s, t, s);
                for (int j = 0; j < nf; j++) grad[j] += TensorPrimitives.Dot(s, x.AsSpan(j * n, n));
            }
            for (int j = 0; j < nf; j++)
            {
                double g = grad[j] / sites.Count + l2 * w[j];
                m[j] = 0.9 * m[j] + 0.1 * g;
                v[j] = 0.999 * v[j] + 0.001 * g * g;
                double mh = m[j] / (1 - Math.Pow(0.9, step)), vh = v[j] / (1 - Math.Pow(0.999, step));
                w[j] -= rate * mh / (Math.Sqrt(vh) + 1e-8);
            }
        }
        // Features past RankingFeatures.Count are the eval harness's own (a second model's cosines).
        var weights = new double[Math.Max(RankingFeatures.Count, nf == 0 ? 0 : features.Max() + 1)];
        for (int j = 0; j < nf; j++) weights[features[j]] = w[j];
        return new RankingWeights(weights);
    }

}
