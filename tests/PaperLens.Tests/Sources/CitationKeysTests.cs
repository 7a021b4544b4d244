using PaperLens.Core;

namespace PaperLens.Tests.Sources;

public class CitationKeysTests
{
    private static Paper P(string title, int? year = null, string? family = null, string key = "") => new()
    {
        Title = title,
        Year = year,
        Authors = family == null ? [] : [new PersonName(family, "X.")],
        Key = key,
        HasSourceKey = key.Length > 0,
    };

    [Theory]
    [InlineData("Deep Residual Learning for Image Recognition", 2016, "He", "he2016deep")]
    [InlineData("The Principles of Deep Learning Theory", 2022, "Roberts", "roberts2022principles")]
    [InlineData("Towards Deeper Graph Neural Networks", 2020, "Liu", "liu2020deeper")]
    [InlineData("On the Ähnlichkeit of Things", 2019, "Müller", "muller2019ahnlichkeit")]
    [InlineData("Straße und Weg", 2001, "Weiß", "weiss2001strasse")]
    [InlineData("Sørensen Similarity", 1948, "Sørensen", "sorensen1948sorensen")]
    [InlineData("Łódź Studies", 2010, "Łukasiewicz", "lukasiewicz2010lodz")]
    [InlineData("Étude des graphes", 2012, "Béatrice", "beatrice2012etude")]
    [InlineData("E^2-LLM: Efficient and Extreme Length Extension", 2024, "Liu", "liu2024e2llm")]
    [InlineData("Neural Ranking", null, "van der Berg", "bergneural")]
    [InlineData("Neural Ranking", 2020, "Smith, Jr.", "smith2020neural")]
    [InlineData("CLEX: Continuous Length Extrapolation for Large Language Models", 2024, null, "clex2024")]
    [InlineData("", 2020, "Smith", "smith2020")]
    [InlineData("The", null, null, "paper")]
    public void BaseKey(string title, int? year, string? family, string expected) =>
        Assert.Equal(expected, CitationKeys.BaseKey(P(title, year, family)));

    [Fact]
    public void Without_author_and_year_the_key_is_the_first_title_word_and_a_short_stable_suffix()
    {
        string key = CitationKeys.BaseKey(P("Tracking Meets LoRA: Faster Training", null, null));
        Assert.Matches("^tracking-[a-z0-9]{3}$", key);
        Assert.Equal(key, CitationKeys.BaseKey(P("Tracking Meets LoRA: Faster Training", null, null))); // stable
        Assert.NotEqual(key, CitationKeys.BaseKey(P("Tracking Meets Diffusion", null, null)));
        Assert.Matches("^branchtrainmerge-[a-z0-9]{3}$", CitationKeys.BaseKey(P("Branch-Train-Merge: Embarrassingly Parallel Training", null, null)));
    }

    [Fact]
    public void Clashes_GetLetterSuffixes_InInputOrder()
    {
        var papers = Enumerable.Range(0, 4).Select(i => P($"Deep Thing {i}", 2020, "Smith")).ToList();
        var keys = CitationKeys.Assign(papers).Select(p => p.Key);
        Assert.Equal(["smith2020deep", "smith2020deepa", "smith2020deepb", "smith2020deepc"], keys);
    }

    [Fact]
    public void SuffixesGoPastZ()
    {
        var keys = CitationKeys.Assign(Enumerable.Range(0, 30).Select(_ => P("Deep", 2020, "Smith"))).Select(p => p.Key).ToList();
        Assert.Equal("smith2020deepz", keys[26]);
        Assert.Equal("smith2020deepaa", keys[27]);
        Assert.Equal(30, keys.Distinct().Count());
    }

    [Fact]
    public void SourceKeysAreKept_AndGeneratedKeysAvoidThem_EvenWhenTheyComeLater()
    {
        var papers = new[]
        {
            P("Deep Nets", 2020, "Smith"),
            P("Whatever", key: "smith2020deep"),
            P("Other", key: "Smith2020DeepA"),
        };
        var result = CitationKeys.Assign(papers);
        Assert.Equal(["smith2020deepb", "smith2020deep", "Smith2020DeepA"], result.Select(p => p.Key));
        Assert.Equal([false, true, true], result.Select(p => p.HasSourceKey));
    }

    [Fact]
    public void RepeatedSourceKey_FirstKeepsIt_LaterGetsSuffix()
    {
        var result = CitationKeys.Assign([P("A", key: "doe2019"), P("B", key: "doe2019")]);
        Assert.Equal(["doe2019", "doe2019a"], result.Select(p => p.Key));
        Assert.False(result[1].HasSourceKey);
    }

    [Fact]
    public void KeysAreLowercaseAsciiAlphanumeric_AndDeterministic()
    {
        var papers = new[] { P("γ-MoD: Mixture-of-Depth", 2024, "Luo"), P("中文 标题", null, "王"), P("Ça va", 1999, "O'Brien") };
        var first = CitationKeys.Assign(papers).Select(p => p.Key).ToList();
        Assert.All(first, k => Assert.Matches("^[a-z0-9]+$", k));
        Assert.Equal(first, CitationKeys.Assign(papers).Select(p => p.Key));
        Assert.Equal("luo2024mod", first[0]);
        Assert.Equal("obrien1999ca", first[2]);
    }
}
