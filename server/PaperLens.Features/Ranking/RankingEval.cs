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

    /// <summary>
    /// A scorer for each site fitted on the other folds (documents assigned to folds by a hash of their id): linear, or with
    /// <paramref name="boosting"/> linear plus boosted trees (<see cref="FitBoosted"/>).
    /// </summary>
    public static Func<EvalCase, RankingWeights> CrossValidated(IReadOnlyList<EvalCase> cases, IReadOnlyList<int> features, int folds = 5, Boosting? boosting = null)
    {
        var fitted = new RankingWeights[folds];
        Parallel.For(0, folds, f =>
        {
            var train = cases.Where(c => FoldOf(c.Document, folds) != f).ToList();
            fitted[f] = boosting is null ? Fit(train, features) : FitBoosted(train, features, boosting);
        });
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

    /// <summary>
    /// The linear fit, then <see cref="Boosting.Trees"/> regression trees boosted on the same listwise softmax loss, each
    /// fitted to its Newton step (gradient p − t, hessian p(1 − p) of each candidate, from histograms of
    /// <see cref="Boosting.Bins"/> quantile bins per feature) and shrunk by <see cref="Boosting.Rate"/>. The trees correct
    /// the linear score where a feature's effect is not straight (a cosine that only counts near the top, a signal that
    /// matters only when another is absent). Deterministic: no sampling.
    /// </summary>
    public static RankingWeights FitBoosted(IReadOnlyList<EvalCase> cases, IReadOnlyList<int> features, Boosting boosting)
    {
        var linear = Fit(cases, features);
        var sites = cases.Where(c => c.RelevantCount > 0 && c.Keys.Length > 1).ToList();
        int nf = features.Count;
        var start = new int[sites.Count + 1];
        for (int i = 0; i < sites.Count; i++) start[i + 1] = start[i] + sites[i].Keys.Length;
        int rows = start[^1];
        var score = new double[rows];
        var target = new double[rows];
        for (int i = 0; i < sites.Count; i++)
            for (int r = 0; r < sites[i].Keys.Length; r++)
            {
                score[start[i] + r] = linear.Score(sites[i].Features[r]);
                target[start[i] + r] = sites[i].Relevant[r] ? 1.0 / sites[i].RelevantCount : 0;
            }
        var (cuts, bins) = Binned(sites, features, rows, boosting.Bins);
        var grad = new double[rows];
        var hess = new double[rows];
        var trees = new List<RegressionTree>(boosting.Trees);
        var all = Enumerable.Range(0, rows).ToArray();
        for (int t = 0; t < boosting.Trees && rows > 0; t++)
        {
            for (int i = 0; i < sites.Count; i++)
            {
                var s = score.AsSpan(start[i], start[i + 1] - start[i]);
                var p = grad.AsSpan(start[i], s.Length);
                TensorPrimitives.Subtract(s, TensorPrimitives.Max(s), p);
                TensorPrimitives.Exp(p, p);
                TensorPrimitives.Multiply(p, 1 / TensorPrimitives.Sum(p), p);
                for (int r = 0; r < p.Length; r++)
                {
                    hess[start[i] + r] = Math.Max(p[r] * (1 - p[r]), 1e-9);
                    p[r] -= target[start[i] + r];
                }
            }
            var tree = new TreeBuilder(boosting, features, cuts, bins, grad, hess).Build(all);
            trees.Add(tree);
            for (int i = 0; i < sites.Count; i++)
                for (int r = 0; r < sites[i].Keys.Length; r++) score[start[i] + r] += tree.Score(sites[i].Features[r]);
        }
        return linear with { Trees = trees };
    }

    /// <summary>Per fitted feature, its cut points (quantiles of its values) and each row's bin: the first cut at or above the value.</summary>
    private static (double[][] Cuts, byte[][] Bins) Binned(List<EvalCase> sites, IReadOnlyList<int> features, int rows, int binCount)
    {
        var cuts = new double[features.Count][];
        var bins = new byte[features.Count][];
        Parallel.For(0, features.Count, j =>
        {
            var values = new double[rows];
            int k = 0;
            foreach (var c in sites) foreach (var f in c.Features) values[k++] = f[features[j]];
            var sorted = (double[])values.Clone();
            Array.Sort(sorted);
            var chosen = new List<double>();
            for (int b = 1; b < binCount; b++)
            {
                double q = sorted[Math.Min(rows - 1, (int)((long)b * rows / binCount))];
                if (chosen.Count == 0 || q > chosen[^1]) chosen.Add(q);
            }
            if (chosen.Count > 0 && chosen[^1] >= sorted[^1]) chosen.RemoveAt(chosen.Count - 1); // no empty right side
            cuts[j] = chosen.ToArray();
            var bin = new byte[rows];
            for (int r = 0; r < rows; r++)
            {
                int at = Array.BinarySearch(cuts[j], values[r]);
                bin[r] = (byte)(at >= 0 ? at : ~at);
            }
            bins[j] = bin;
        });
        return (cuts, bins);
    }

    /// <summary>Grows one tree depth-first: at each node the split (feature, cut) of the largest loss reduction, or a leaf.</summary>
    private sealed class TreeBuilder(Boosting boosting, IReadOnlyList<int> features, double[][] cuts, byte[][] bins, double[] grad, double[] hess)
    {
        private readonly List<int> _feature = [], _left = [], _right = [];
        private readonly List<double> _threshold = [], _value = [];

        public RegressionTree Build(int[] all)
        {
            Grow(all, 0);
            return new RegressionTree(_feature.ToArray(), _threshold.ToArray(), _left.ToArray(), _right.ToArray(), _value.ToArray());
        }

        private int Grow(int[] at, int depth)
        {
            double g = 0, h = 0;
            foreach (int r in at) { g += grad[r]; h += hess[r]; }
            int node = _feature.Count;
            _feature.Add(-1); _threshold.Add(0); _left.Add(0); _right.Add(0);
            _value.Add(-g / (h + boosting.Lambda) * boosting.Rate);
            if (depth >= boosting.Depth) return node;
            double parent = g * g / (h + boosting.Lambda), bestGain = boosting.MinGain;
            int bestFeature = -1, bestCut = -1;
            var hg = new double[boosting.Bins + 1];
            var hh = new double[boosting.Bins + 1];
            for (int j = 0; j < features.Count; j++)
            {
                if (cuts[j].Length == 0) continue;
                Array.Clear(hg); Array.Clear(hh);
                var bin = bins[j];
                foreach (int r in at) { hg[bin[r]] += grad[r]; hh[bin[r]] += hess[r]; }
                double gl = 0, hl = 0;
                for (int c = 0; c < cuts[j].Length; c++)
                {
                    gl += hg[c]; hl += hh[c];
                    double gr = g - gl, hr = h - hl;
                    if (hl < boosting.MinHessian || hr < boosting.MinHessian) continue;
                    double gain = gl * gl / (hl + boosting.Lambda) + gr * gr / (hr + boosting.Lambda) - parent;
                    if (gain > bestGain) (bestGain, bestFeature, bestCut) = (gain, j, c);
                }
            }
            if (bestFeature < 0) return node;
            var split = bins[bestFeature];
            var left = at.Where(r => split[r] <= bestCut).ToArray();
            var right = at.Where(r => split[r] > bestCut).ToArray();
            _feature[node] = features[bestFeature];
            _threshold[node] = cuts[bestFeature][bestCut];
            _value[node] = 0;
            _left[node] = Grow(left, depth + 1);
            _right[node] = Grow(right, depth + 1);
            return node;
        }
    }
}

/// <summary>
/// How <see cref="RankingEval.FitBoosted"/> grows its trees: how many, how deep, the shrinkage, the L2 on leaf values,
/// the least hessian (about sites' worth of probability) a child may hold, the least gain a split must bring, the bins.
/// </summary>
public sealed record Boosting(int Trees = 40, int Depth = 3, double Rate = 0.1, double Lambda = 1, double MinHessian = 1, double MinGain = 1e-6, int Bins = 32);
