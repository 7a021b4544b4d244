using PaperLens.Features.Ranking;

namespace PaperLens.Server.Cli;

/// <summary>
/// `eval-editor --second-model`: every site ranked by both models over the same candidates. The second model's dense
/// features are appended after <see cref="RankingFeatures"/>, so one run gives each model alone (its dense features in
/// the usual slots) and the fusion (a fit over all features plus the second model's).
/// </summary>
public static partial class EditorEvalCommand
{
    /// <summary>The dense features a second model adds, in this order after the first model's features.</summary>
    private static readonly int[] DenseFeatures =
        new[] { "cos_paragraph", "cos_sentence", "cos_global", "rrf_cos_paragraph", "cos_cursor_sentence" }.Select(RankingFeatures.Index).ToArray();

    /// <summary>
    /// The first model's ranking with the second model's dense features appended. A candidate the second ranking lacks
    /// (only in corpus scope, where each model retrieves its own top) takes that ranking's lowest value of each feature.
    /// </summary>
    public static List<RankedPaper> WithSecondModel(List<RankedPaper> first, List<RankedPaper> second)
    {
        var byKey = second.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.First().Features);
        var lowest = DenseFeatures.Select(f => second.Count == 0 ? 0 : second.Min(r => r.Features[f])).ToArray();
        return first.Select(r =>
        {
            var other = byKey.GetValueOrDefault(r.Key);
            var extra = DenseFeatures.Select((f, i) => other is null ? lowest[i] : other[f]);
            return r with { Features = r.Features.Take(RankingFeatures.Count).Concat(extra).ToArray() };
        }).ToList();
    }

    /// <summary>The case as the second model alone ranks it: its dense features moved into the usual slots.</summary>
    public static EvalCase SecondModelAlone(EvalCase c) => c with
    {
        Features = c.Features.Select(f =>
        {
            var swapped = f.Take(RankingFeatures.Count).ToArray();
            for (int i = 0; i < DenseFeatures.Length; i++) swapped[DenseFeatures[i]] = f[RankingFeatures.Count + i];
            return swapped;
        }).ToArray(),
    };

    private static void ReportModels(string name, List<(string Field, EvalCase Case)> all, string firstModel, string secondModel, string commandLine)
    {
        var single = Enumerable.Range(0, RankingFeatures.Count).ToArray();
        var fused = single.Concat(Enumerable.Range(RankingFeatures.Count, DenseFeatures.Length)).ToArray();
        var firstCases = all.Select(x => x.Case).ToList();
        var secondCases = firstCases.Select(SecondModelAlone).ToList();
        var firstFit = RankingEval.CrossValidated(firstCases, single);
        var secondFit = RankingEval.CrossValidated(secondCases, single);
        var fusedFit = RankingEval.CrossValidated(firstCases, fused);
        Console.Out.WriteLine();
        Console.Out.WriteLine($"## {name}: two embedding models");
        Console.Out.WriteLine($"`paperlens {commandLine}`; A = {firstModel}, B = {secondModel}; fits are held-out (5 folds by citing document).");
        var swapped = new Dictionary<RankingWeights, RankingWeights>(ReferenceEqualityComparer.Instance);
        foreach (var group in all.Select((x, i) => (x.Field, First: x.Case, Second: secondCases[i])).GroupBy(x => x.Field))
        {
            var cases = group.Select(x => x.First).ToList();
            var seconds = group.Select(x => x.Second).ToList();
            Console.Out.WriteLine();
            Console.Out.WriteLine($"### field `{group.Key}`: {cases.Count} sites, {cases.Select(c => c.Document).Distinct().Count()} citing documents");
            Console.Out.WriteLine();
            Console.Out.WriteLine("| ranking | " + string.Join(" | ", RankingEval.Cutoffs.Select(k => $"R@{k}")) + " | MRR |");
            Console.Out.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---|", RankingEval.Cutoffs.Length + 1)));
            void Row(string label, IReadOnlyList<EvalCase> set, Func<EvalCase, RankingWeights> w)
            {
                var f = RankingEval.Score(set, w);
                Console.Out.WriteLine($"| {label} | " + string.Join(" | ", f.Recall.Select(r => r.ToString("F3"))) + $" | {f.Mrr:F3} |");
            }
            Row("A dense (paragraph)", cases, _ => RankingWeights.Dense);
            Row("B dense (paragraph)", seconds, _ => RankingWeights.Dense);
            Row("A final (all signals)", cases, firstFit);
            Row("B final (all signals)", seconds, secondFit);
            Row("**A+B final (all signals + B's cosines)**", cases, fusedFit);
            double firstMrr = RankingEval.Score(cases, firstFit).Mrr, secondMrr = RankingEval.Score(seconds, secondFit).Mrr;
            bool firstBest = firstMrr >= secondMrr;
            // Both arms scored on the same EvalCase objects: the best single model's weights only read its slots.
            Func<EvalCase, RankingWeights> secondOnFirst = c => swapped.TryGetValue(secondFit(c), out var w) ? w : swapped[secondFit(c)] = Swap(secondFit(c));
            Func<EvalCase, RankingWeights> best = firstBest ? firstFit : secondOnFirst;
            var (mean, low, high) = RankingEval.Bootstrap(cases, fusedFit, best);
            var (meanBA, lowBA, highBA) = RankingEval.Bootstrap(cases, secondOnFirst, firstFit);
            Console.Out.WriteLine();
            Console.Out.WriteLine($"B final − A final: MRR {meanBA:+0.000;-0.000;0.000}, 95% bootstrap CI over citing documents [{lowBA:+0.000;-0.000;0.000}, {highBA:+0.000;-0.000;0.000}]");
            Console.Out.WriteLine($"A+B − best single ({(firstBest ? "A" : "B")}): MRR {mean:+0.000;-0.000;0.000}, 95% bootstrap CI over citing documents [{low:+0.000;-0.000;0.000}, {high:+0.000;-0.000;0.000}]");
        }
    }

    /// <summary>Weights fitted on <see cref="SecondModelAlone"/> cases, moved so that they read the appended slots.</summary>
    public static RankingWeights Swap(RankingWeights w)
    {
        var values = new double[RankingFeatures.Count + DenseFeatures.Length];
        w.Values.CopyTo(values, 0);
        for (int i = 0; i < DenseFeatures.Length; i++)
        {
            values[RankingFeatures.Count + i] = w.Values[DenseFeatures[i]];
            values[DenseFeatures[i]] = 0;
        }
        return new RankingWeights(values, w.Note);
    }
}
