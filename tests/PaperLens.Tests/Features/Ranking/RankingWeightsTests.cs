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

    [Theory]
    [InlineData("snowflake-arctic-embed-xs@0123456789ab")]
    [InlineData("hashing-64")]
    [InlineData(null)]
    public void A_model_without_weights_of_its_own_ranks_with_the_default_ones(string? modelId) =>
        Assert.Equal(RankingWeights.Default.Values, RankingWeights.ForModel(modelId).Values);
}
