using PaperLens.Core;
using PaperLens.Sources.BibTex;

namespace PaperLens.Tests.BibTex;

public class BibNamesTests
{
    [Theory]
    [InlineData("Crane, Matt", "Crane", "Matt")]
    [InlineData("Donald E. Knuth", "Knuth", "Donald E.")]
    [InlineData("Ludwig van Beethoven", "van Beethoven", "Ludwig")]
    [InlineData("van Beethoven, Ludwig", "van Beethoven", "Ludwig")]
    [InlineData("Steele, Jr, Guy L.", "Steele, Jr", "Guy L.")]
    [InlineData("Aristotle", "Aristotle", "")]
    [InlineData("{Barnes and Noble}", "Barnes and Noble", "")]
    [InlineData(@"B\'{e}atrice Daille", "Daille", "Béatrice")]
    [InlineData(@"M{\""u}ller, J{\""o}rg", "Müller", "Jörg")]
    [InlineData(@"Jean {\'E}mile de la Fontaine", "de la Fontaine", "Jean Émile")]
    [InlineData("Culpepper, J. Shane", "Culpepper", "J. Shane")]
    [InlineData("John~Smith", "Smith", "John")]
    public void Parses_one_name(string raw, string family, string given) =>
        Assert.Equal(new PersonName(family, given), BibNames.ParseName(raw));

    [Fact]
    public void Splits_on_and_at_brace_depth_zero_and_skips_others()
    {
        var names = BibNames.Parse("Crane, Matt and {Barnes and Noble} AND\n  Andrew Trotman and others");
        Assert.Equal(
            [new PersonName("Crane", "Matt"), new PersonName("Barnes and Noble"), new PersonName("Trotman", "Andrew")],
            names);
    }

    [Fact]
    public void Names_containing_and_inside_words_are_not_split() =>
        Assert.Equal([new PersonName("Anderson", "Sandra")], BibNames.Parse("Sandra Anderson"));
}
