namespace PaperLens.Features.Ranking;

/// <summary>One evaluated citation site: the ranker's candidates (features and keys, in any order) and which are the cited papers.</summary>
public sealed record EvalCase(string Document, double[][] Features, string[] Keys, bool[] Relevant)
{
    public static EvalCase Of(string document, IReadOnlyList<RankedPaper> ranked, IReadOnlySet<string> relevantKeys) =>
        new(document, ranked.Select(r => r.Features).ToArray(), ranked.Select(r => r.Key).ToArray(), ranked.Select(r => relevantKeys.Contains(r.Key)).ToArray());

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
            for (int k = 0; k < Cutoffs.Length; k++) recall[k] += order.Take(Cutoffs[k]).Count(i => c.Relevant[i]) / (double)c.RelevantCount;
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
        var fitted = Enumerable.Range(0, folds).Select(f => Fit(cases.Where(c => FoldOf(c.Document, folds) != f).ToList(), features)).ToArray();
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
    /// candidates (Adam, fixed steps, a little L2), so the fit is deterministic.
    /// </summary>
    public static RankingWeights Fit(IReadOnlyList<EvalCase> cases, IReadOnlyList<int> features, int steps = 300, double rate = 0.05, double l2 = 1e-3)
    {
        var w = new double[RankingFeatures.Count];
        var m = new double[w.Length];
        var v = new double[w.Length];
        var usable = cases.Where(c => c.RelevantCount > 0 && c.Keys.Length > 1).ToList();
        if (usable.Count == 0) return new RankingWeights(w);
        var grad = new double[w.Length];
        for (int step = 1; step <= steps; step++)
        {
            Array.Clear(grad);
            foreach (var c in usable)
            {
                var s = new double[c.Keys.Length];
                double max = double.NegativeInfinity;
                for (int i = 0; i < s.Length; i++) { foreach (int f in features) s[i] += w[f] * c.Features[i][f]; max = Math.Max(max, s[i]); }
                double z = 0;
                for (int i = 0; i < s.Length; i++) z += s[i] = Math.Exp(s[i] - max);
                for (int i = 0; i < s.Length; i++)
                {
                    double g = s[i] / z - (c.Relevant[i] ? 1.0 / c.RelevantCount : 0);
                    if (g == 0) continue;
                    foreach (int f in features) grad[f] += g * c.Features[i][f];
                }
            }
            foreach (int f in features)
            {
                double g = grad[f] / usable.Count + l2 * w[f];
                m[f] = 0.9 * m[f] + 0.1 * g;
                v[f] = 0.999 * v[f] + 0.001 * g * g;
                double mh = m[f] / (1 - Math.Pow(0.9, step)), vh = v[f] / (1 - Math.Pow(0.999, step));
                w[f] -= rate * mh / (Math.Sqrt(vh) + 1e-8);
            }
        }
        return new RankingWeights(w);
    }
}
