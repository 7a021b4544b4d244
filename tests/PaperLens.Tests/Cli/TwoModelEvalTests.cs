using PaperLens.Core;
using PaperLens.Features.Ranking;
using PaperLens.Server.Cli;

namespace PaperLens.Tests.Cli;

/// <summary>`eval-editor --second-model`: the second model's dense features ride after the first model's, and each model alone is exact.</summary>
public class TwoModelEvalTests
{
    private static RankedPaper Ranked(string key, double seed) =>
        new(key, new Paper { Key = key, Title = key }, true, 0, Enumerable.Range(0, RankingFeatures.Count).Select(i => seed + i).ToArray(), null);

    [Fact]
    public void The_second_model_alone_reads_its_own_dense_features_and_its_weights_score_the_fused_case_alike()
    {
        var first = new List<RankedPaper> { Ranked("a", 0), Ranked("b", 100) };
        var second = new List<RankedPaper> { Ranked("b", 1000), Ranked("a", 2000) };
        var fused = EditorEvalCommand.WithSecondModel(first, second);
        Assert.Equal(RankingFeatures.Count + 5, fused[0].Features.Length);
        Assert.Equal(first[0].Features, fused[0].Features.Take(RankingFeatures.Count));

        var fusedCase = EvalCase.Of("doc", fused, new HashSet<string> { "a" });
        var alone = EditorEvalCommand.SecondModelAlone(fusedCase);
        var expectedA = second[1].Features.ToArray();
        var firstA = first[0].Features;
        // Lexical and draft features are the first model's; the dense ones the second's.
        string[] dense = ["cos_paragraph", "cos_sentence", "cos_global", "rrf_cos_paragraph", "cos_cursor_sentence"];
        for (int i = 0; i < RankingFeatures.Count; i++)
            Assert.Equal(dense.Contains(RankingFeatures.Names[i]) ? expectedA[i] : firstA[i], alone.Features[0][i]);

        var weights = RankingWeights.Of(("lex_paragraph", 0.5), ("cos_paragraph", 2), ("cos_sentence", -1), ("rrf_cos_paragraph", 3));
        var swapped = EditorEvalCommand.Swap(weights);
        for (int row = 0; row < 2; row++)
            Assert.Equal(weights.Score(alone.Features[row]), swapped.Score(fusedCase.Features[row]), 9);
    }

    [Fact]
    public void A_candidate_the_second_model_did_not_list_takes_its_lowest_values()
    {
        var fused = EditorEvalCommand.WithSecondModel([Ranked("a", 0), Ranked("c", 5)], [Ranked("a", 10), Ranked("b", 20)]);
        int cos = RankingFeatures.Index("cos_paragraph");
        Assert.Equal(10 + cos, fused[1].Features[RankingFeatures.Count]);
    }

    [Fact]
    public void A_fit_over_features_past_the_ranking_features_weighs_them()
    {
        // One site: the cited candidate differs only in an appended feature; the fit must learn its weight.
        var features = new[] { new double[RankingFeatures.Count + 1], new double[RankingFeatures.Count + 1] };
        features[0][RankingFeatures.Count] = 1;
        var site = new EvalCase("doc", features, ["a", "b"], [true, false], 1);
        var w = RankingEval.Fit([site], [RankingFeatures.Count]);
        Assert.True(w.Values[RankingFeatures.Count] > 0);
        Assert.Equal(1.0, RankingEval.ReciprocalRank(site, w));
    }
}
