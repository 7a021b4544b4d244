using PaperLens.Features.Bib;
using static PaperLens.Tests.Features.Bib.BibText;

namespace PaperLens.Tests.Features.Bib;

public class BibRenameTests
{
    [Fact]
    public void Renames_the_key_under_the_cursor_in_every_entry_that_has_it()
    {
        var fixture = Fixture.Parse("""
            %! refs.bib
            @misc{other, title = {old}}
            @article{Öld|Key, title = {First}}
            @misc{öldkey2, title = {Not this one}}
            @book{öldkey, title = {Repeated with other case}}
            """);
        var bib = BibDocument.Parse("refs.bib", fixture.CursorText);
        string oldKey = bib.KeyAt(PositionOf(fixture.CursorText, fixture.CursorOffset))!.Key;

        var edits = BibRename.Edits(bib, oldKey, "vaswani2017");
        string renamed = Apply(fixture.CursorText, edits);

        Assert.Equal("ÖldKey", oldKey);
        Assert.Equal(2, edits.Count);
        Assert.Equal(["other", "vaswani2017", "öldkey2", "vaswani2017"], BibDocument.Parse("refs.bib", renamed).Entries.Select(e => e.Key));
        Assert.Contains("title = {old}", renamed);
    }

    [Fact]
    public void An_unknown_key_gives_no_edits() =>
        Assert.Empty(BibRename.Edits(BibDocument.Parse("r.bib", "@misc{a, title={x}}"), "b", "c"));

    [Theory]
    [InlineData("vaswani2017", true)]
    [InlineData("doe:2020/x-y_z.1", true)]
    [InlineData("has space", false)]
    [InlineData("comma,key", false)]
    [InlineData("brace{", false)]
    [InlineData("", false)]
    public void Keys_are_checked_before_renaming(string key, bool valid) => Assert.Equal(valid, BibKeys.IsValid(key));
}
