using PaperLens.Features.Bib;
using static PaperLens.Tests.Features.Bib.BibText;

namespace PaperLens.Tests.Features.Bib;

public class BibSymbolsTests
{
    private const string Text = """
        @inproceedings{vaswani2017,
          title = {Attention Is All You Need},
          year = 2017,
        }
        @article{long, title = {A Very Long Title About Many Things That Goes On and On Well Past Sixty Characters}}
        @misc{bare, note = {nothing else}}
        """;

    [Fact]
    public void One_symbol_per_entry_with_key_type_title_and_year()
    {
        var bib = BibDocument.Parse("s.bib", Text);
        var symbols = BibSymbols.For(bib);

        Assert.Equal(["vaswani2017", "long", "bare"], symbols.Select(s => s.Name));
        Assert.Equal(["inproceedings", "article", "misc"], symbols.Select(s => s.Kind));
        Assert.Equal("Attention Is All You Need (2017)", symbols[0].Detail);
        Assert.EndsWith("…", symbols[1].Detail);
        Assert.True(symbols[1].Detail.Length <= 60);
        Assert.StartsWith("A Very Long Title", symbols[1].Detail);
        Assert.Equal("", symbols[2].Detail);
        Assert.Equal(RangeOf(Text, "vaswani2017"), symbols[0].SelectionRange);
        Assert.Equal(bib.Entries[0].Range, symbols[0].Range);
        Assert.All(symbols, s => Assert.Empty(s.Children));
    }

    [Fact]
    public void Fields_can_be_children()
    {
        var symbols = BibSymbols.For(BibDocument.Parse("s.bib", Text), withFields: true);

        var fields = symbols[0].Children;
        Assert.Equal(["title", "year"], fields.Select(f => f.Name));
        Assert.All(fields, f => Assert.Equal("field", f.Kind));
        Assert.Equal("Attention Is All You Need", fields[0].Detail);
        Assert.Equal("title = {Attention Is All You Need}", TextOf(Text, fields[0].Range));
        Assert.Equal("title", TextOf(Text, fields[0].SelectionRange));
        Assert.Equal("year = 2017", TextOf(Text, fields[1].Range));
    }
}
