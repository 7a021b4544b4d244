using PaperLens.Features.Ranking;

namespace PaperLens.Tests.Features.Ranking;

public class RankingWeightsTests
{
    [Fact]
    public void A_model_with_weights_of_its_own_ranks_with_them()
    {
        var miniLM = RankingWeights.ForModel("all-minilm-l6-v2@0123456789ab");

        Assert.NotSame(RankingWeights.Default, miniLM);
        Assert.NotEqual(RankingWeights.Default.Values, miniLM.Values);
        Assert.Contains("all-MiniLM-L6-v2", miniLM.Note);
        Assert.Same(miniLM, RankingWeights.ForModel("all-minilm-l6-v2@ba9876543210"));
    }

    [Fact]
    public void A_copy_with_other_weights_reads_the_features_they_use()
    {
        var values = new double[RankingFeatures.Count];
        values[0] = 1;
        var first = new RankingWeights(values);
        Assert.True(first.Uses(0));

        var copy = first with { Values = new double[RankingFeatures.Count] };

        Assert.False(copy.Uses(0));
        Assert.True(first.Uses(0));
    }

    [Fact]
    public void Each_shipped_scorer_loads_its_boosted_trees()
    {
        Assert.NotEmpty(RankingWeights.Default.Trees!);
        Assert.Contains("FitBoosted", RankingWeights.Default.Note);
        var miniLM = RankingWeights.ForModel("all-minilm-l6-v2@0123456789ab");
        Assert.NotEmpty(miniLM.Trees!); // MiniLM ships its own boosted fit
        Assert.Equal(RankingFeatures.Count, miniLM.Values.Length);
    }

    [Theory]
    [InlineData("snowflake-arctic-embed-xs@0123456789ab")]
    [InlineData("hashing-64")]
    [InlineData(null)]
    public void A_model_without_weights_of_its_own_ranks_with_the_default_ones(string? modelId) =>
        Assert.Equal(RankingWeights.Default.Values, RankingWeights.ForModel(modelId).Values);
}

public class BoostedScorerTests
{
    private const string File = """
        {
          "note": "fixture",
          "weights": { "lex_paragraph": 2, "cos_paragraph": 0.5 },
          "trees": [
            {"nodes": [["cos_cursor_sentence", -0.1, 1, 2], [0.25], ["cited_in_draft", 0, 3, 4], [-0.5], [1.5]]},
            {"nodes": [[0.125]]}
          ]
        }
        """;

    private static double[] Features(params (string Name, double Value)[] values)
    {
        var f = new double[RankingFeatures.Count];
        foreach (var (name, value) in values) f[RankingFeatures.Index(name)] = value;
        return f;
    }

    [Fact]
    public void The_scorer_file_loads_and_scores_linear_plus_trees_exactly()
    {
        var scorer = RankingWeights.Parse(File);

        // 2 × 0.5 + 0.5 × (−0.2) = 0.9; cos_cursor_sentence −0.2 ≤ −0.1: leaf 0.25; second tree 0.125.
        Assert.Equal(0.9 + 0.25 + 0.125, scorer.Score(Features(("lex_paragraph", 0.5), ("cos_paragraph", -0.2), ("cos_cursor_sentence", -0.2))), 12);
        // cos_cursor_sentence 0 > −0.1, cited_in_draft 0.69 > 0: leaf 1.5.
        Assert.Equal(1.5 + 0.125, scorer.Score(Features(("cos_cursor_sentence", 0), ("cited_in_draft", 0.69))), 12);
        Assert.Equal(-0.5 + 0.125, scorer.Score(Features(("cos_cursor_sentence", 0))), 12);
        Assert.True(scorer.Uses(RankingFeatures.Index("cited_in_draft")));
        Assert.False(scorer.Uses(RankingFeatures.Index("lex_global")));
    }

    [Fact]
    public void A_written_scorer_reads_back_to_the_same_scores()
    {
        var scorer = RankingWeights.Parse(File);
        var again = RankingWeights.Parse(scorer.ToJson("again"));
        var rng = new Random(3);
        for (int i = 0; i < 50; i++)
        {
            var f = Enumerable.Range(0, RankingFeatures.Count).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            Assert.Equal(scorer.Score(f), again.Score(f));
        }
        Assert.Equal("again", again.Note);
    }

    [Fact]
    public void A_written_scorer_with_trees_keeps_its_linear_weights_exact()
    {
        // The trees were boosted on the exact linear part: a rounded weight would score every candidate a hair off the fit.
        var scorer = RankingWeights.Parse(File);
        var values = scorer.Values.ToArray();
        values[RankingFeatures.Index("lex_paragraph")] = 0.123456789012;
        var exact = scorer with { Values = values };
        var again = RankingWeights.Parse(exact.ToJson("exact"));
        Assert.Equal(0.123456789012, again.Values[RankingFeatures.Index("lex_paragraph")]);
    }

    [Fact]
    public void A_tree_whose_child_comes_before_it_is_refused() =>
        Assert.Throws<FormatException>(() => RankingWeights.Parse("""{"weights": {}, "trees": [{"nodes": [["lex_paragraph", 0, 0, 1], [0.5]]}]}"""));

    [Fact]
    public void Boosted_trees_learn_what_no_linear_score_can_and_stay_held_out()
    {
        // The cited candidate is the one whose cosine sits in a middle band: no weight on the cosine ranks it first.
        int cos = RankingFeatures.Index("cos_paragraph"), lex = RankingFeatures.Index("lex_paragraph");
        var cases = Enumerable.Range(0, 60).Select(d =>
        {
            var rng = new Random(d);
            int cited = d % 30;
            var features = Enumerable.Range(0, 30).Select(i =>
            {
                var f = new double[RankingFeatures.Count];
                f[cos] = i == cited ? 0.5 : rng.NextDouble() < 0.5 ? rng.NextDouble() * 0.3 : 0.7 + rng.NextDouble() * 0.3;
                f[lex] = rng.NextDouble();
                return f;
            }).ToArray();
            return new EvalCase($"doc{d}", features, Enumerable.Range(0, 30).Select(i => $"k{i:D2}").ToArray(), Enumerable.Range(0, 30).Select(i => i == cited).ToArray(), 1);
        }).ToList();

        var linear = RankingEval.Score(cases, RankingEval.CrossValidated(cases, [cos, lex])).Mrr;
        var boosted = RankingEval.Score(cases, RankingEval.CrossValidated(cases, [cos, lex], boosting: new Boosting(Trees: 20))).Mrr;

        Assert.True(linear < 0.3, $"linear {linear}");
        Assert.True(boosted > 0.75, $"boosted {boosted}");
    }
}
