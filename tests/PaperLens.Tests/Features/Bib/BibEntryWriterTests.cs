using PaperLens.Core;
using PaperLens.Features;
using PaperLens.Features.Bib;
using PaperLens.Sources.BibTex;
using static PaperLens.Tests.Features.Bib.BibText;

namespace PaperLens.Tests.Features.Bib;

public class BibEntryWriterTests
{
    private static PersonName[] Names(params string[] familyGiven) =>
        familyGiven.Select(n => n.Split('|') is var p ? new PersonName(p[0], p.Length > 1 ? p[1] : "") : null!).ToArray();

    public static readonly Paper Vaswani = new()
    {
        Key = "vaswani2017attention",
        Title = "Attention Is All You Need",
        Authors = Names("Vaswani|Ashish", "Shazeer|Noam", "Parmar|Niki", "Uszkoreit|Jakob", "Jones|Llion", "Gomez|Aidan N.", "Kaiser|Łukasz", "Polosukhin|Illia"),
        Year = 2017,
        Venue = "Advances in Neural Information Processing Systems",
        ArxivId = "1706.03762",
        Url = "https://arxiv.org/abs/1706.03762",
        Abstract = "The dominant sequence transduction models are based on complex recurrent or convolutional neural networks that include an encoder and a decoder.",
    };

    public static readonly Paper Scholkopf = new()
    {
        Key = "scholkopf1998nonlinear",
        Title = "Nonlinear Component Analysis as a Kernel Eigenvalue Problem",
        Authors = Names("Schölkopf|Bernhard", "Smola|Alexander", "Müller|Klaus-Robert"),
        Year = 1998,
        Venue = "Neural Computation",
        Doi = "10.1162/089976698300017467",
        EntryType = "article",
    };

    public static readonly Paper Airbnb = new()
    {
        Key = "grbovic2018realtime",
        Title = "Real-time Personalization using Embeddings for Search Ranking at Airbnb",
        Authors = Names("Grbovic|Mihajlo", "Cheng|Haibin"),
        Year = 2018,
        Venue = "Proceedings of the 24th ACM SIGKDD International Conference on Knowledge Discovery & Data Mining",
        Doi = "10.1145/3219819.3219885",
    };

    public static readonly Paper SqueezeNet = new()
    {
        Key = "iandola2016squeezenet",
        Title = "SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size",
        Authors = Names("Iandola|Forrest N.", "Han|Song", "Moskewicz|Matthew W.", "Ashraf|Khalid", "Dally|William J.", "Keutzer|Kurt"),
        Year = 2016,
        ArxivId = "1602.07360",
    };

    /// <summary>Every char that needs escaping, and names that BibTeX would split wrongly without braces.</summary>
    public static readonly Paper Awkward = new()
    {
        Key = "awkward",
        Title = "On the $x^2$ loss: 100% of {braced} #tags_and_underscores, a~b, R&D -- and ''quotes''",
        Authors = Names("van der Berg|Piet", "Barnes and Noble Research", "Smith, Jr|John", "Núñez|José María"),
        Year = 2024,
        Venue = "Journal of Things & Stuff",
        Doi = "10.5555/a_b%c",
        Url = "https://example.org/a%20b_c#frag",
        Abstract = "We show that 95% of $O(n^2)$ methods cost $5 & {more}.\nA second line; ünïcödé stays.",
        EntryType = "article",
    };

    public static TheoryData<string> PaperNames => new() { nameof(Vaswani), nameof(Scholkopf), nameof(Airbnb), nameof(SqueezeNet), nameof(Awkward) };

    private static Paper ByName(string name) => (Paper)typeof(BibEntryWriterTests).GetField(name)!.GetValue(null)!;

    [Theory]
    [MemberData(nameof(PaperNames))]
    public void Formatted_entries_read_back_as_the_same_paper(string name)
    {
        var paper = ByName(name);
        string bib = BibEntryWriter.Format(paper, paper.Key);

        var entry = Assert.IsType<BibEntry>(Assert.Single(BibParser.Parse(bib, "out.bib")));
        var back = BibTexReader.ToPaper(entry);
        Assert.Equal(paper.Key, back.Key);
        Assert.Equal(paper.Title, back.Title);
        Assert.Equal(paper.Authors, back.Authors);
        Assert.Equal(paper.Year, back.Year);
        Assert.Equal(paper.Venue, back.Venue);
        Assert.Equal(paper.Doi, back.Doi);
        Assert.Equal(paper.ArxivId, back.ArxivId);
        Assert.Equal(paper.Url, back.Url);
        Assert.Equal(paper.Abstract?.ReplaceLineEndings(" "), back.Abstract);
        Assert.Equal(BibEntryWriter.EntryType(paper), back.EntryType);
    }

    [Fact]
    public void Escapes_latex_specials_and_keeps_unicode()
    {
        string bib = BibEntryWriter.Format(Awkward, "awkward");

        Assert.Contains(@"title = {{On the \$x\^{}2\$ loss: 100\% of \{braced\} \#tags\_and\_underscores, a\~{}b, R\&D -{}- and '{}'quotes'{}'}}", bib);
        Assert.Contains("author = {van der Berg, Piet and {Barnes and Noble Research} and Smith, Jr, John and Núñez, José María}", bib);
        Assert.Contains(@"journal = {Journal of Things \& Stuff}", bib);
        Assert.Contains("doi = {10.5555/a_b%c}", bib);
        Assert.Contains(@"abstract = {We show that 95\% of \$O(n\^{}2)\$ methods cost \$5 \& \{more\}. A second line; ünïcödé stays.}", bib);
        Assert.Equal(bib.Count(c => c == '{'), bib.Count(c => c == '}'));
    }

    [Fact]
    public void Writes_the_usual_fields_in_order()
    {
        string bib = BibEntryWriter.Format(Vaswani, "vaswani2017attention");

        Assert.Equal("""
            @inproceedings{vaswani2017attention,
              author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Uszkoreit, Jakob and Jones, Llion and Gomez, Aidan N. and Kaiser, Łukasz and Polosukhin, Illia},
              title = {{Attention Is All You Need}},
              booktitle = {Advances in Neural Information Processing Systems},
              year = {2017},
              eprint = {1706.03762},
              archivePrefix = {arXiv},
              url = {https://arxiv.org/abs/1706.03762},
              abstract = {The dominant sequence transduction models are based on complex recurrent or convolutional neural networks that include an encoder and a decoder.}
            }
            """.ReplaceLineEndings("\n"), bib);
    }

    [Theory]
    [InlineData("misc", "Advances in Neural Information Processing Systems", "inproceedings")]
    [InlineData("misc", "Proc. of the 2020 Workshop on X", "inproceedings")]
    [InlineData("misc", "ICML 2021", "inproceedings")]
    [InlineData("misc", "Neural Computation", "article")]
    [InlineData("misc", "arXiv preprint arXiv:1706.03762", "article")]
    [InlineData("misc", null, "misc")]
    [InlineData("book", "MIT Press", "book")]
    [InlineData("", null, "misc")]
    public void Entry_type_comes_from_the_paper_or_its_venue(string type, string? venue, string expected) =>
        Assert.Equal(expected, BibEntryWriter.EntryType(new Paper { EntryType = type, Venue = venue }));

    [Theory]
    [InlineData("", "")]
    [InlineData("\n", "")]
    [InlineData("  ", "\n")]
    [InlineData("@misc{old, title = {Old}}", "\n\n")]
    [InlineData("@misc{old, title = {Old}}\n", "\n")]
    [InlineData("@misc{old, title = {Old}}\n\n", "")]
    [InlineData("@misc{old, title = {Old}}\n\n\n", "")]
    [InlineData("@misc{old, title = {Old}}\r\n", "\r\n")]
    [InlineData("@misc{old,\r\n  title = {Old}}", "\r\n\r\n")]
    public void Appends_at_the_end_after_one_blank_line(string text, string separator)
    {
        var target = BibDocument.Parse("refs.bib", text);
        var append = BibEntryWriter.AppendEdit(target, Scholkopf, new HashSet<string>());
        string newline = text.Contains("\r\n") ? "\r\n" : "\n";

        Assert.Equal(LineRange.At(target.End), append.Edit.Range);
        Assert.Equal(separator + BibEntryWriter.Format(Scholkopf, append.Key).Replace("\n", newline) + newline, append.Edit.NewText);
        string result = Apply(text, [append.Edit]);
        var after = BibDocument.Parse("refs.bib", result);
        Assert.Empty(after.Errors);
        Assert.Equal(append.Key, after.Entries[^1].Key);
        Assert.Equal(Scholkopf.Title, after.Entries[^1].Paper.Title);
        string before = result[..result.IndexOf("@article{")];
        Assert.StartsWith(text, before);
        if (text.Trim().Length > 0) Assert.EndsWith(newline + newline, before);
        else if (text.Length > 0) Assert.EndsWith(newline, before);
        Assert.EndsWith("}" + newline, result);
    }

    [Fact]
    public void Appended_keys_stay_unique_across_the_file_and_the_taken_set()
    {
        var target = BibDocument.Parse("refs.bib", "@misc{Scholkopf1998nonlinearA, title = {x}}\n");
        var taken = new HashSet<string>(StringComparer.Ordinal) { "scholkopf1998nonlinear", "scholkopf1998nonlinearb" };

        var append = BibEntryWriter.AppendEdit(target, Scholkopf, taken);

        Assert.Equal("scholkopf1998nonlinearc", append.Key);
        var after = BibDocument.Parse("refs.bib", Apply(target.Text, [append.Edit]));
        Assert.Empty(after.Duplicates);
    }

    [Fact]
    public void Repeated_appends_get_successive_suffixes()
    {
        string text = "";
        var keys = new List<string>();
        for (int i = 0; i < 28; i++)
        {
            var append = BibEntryWriter.AppendEdit(BibDocument.Parse("refs.bib", text), Airbnb, new HashSet<string>());
            keys.Add(append.Key);
            text = Apply(text, [append.Edit]);
        }

        Assert.Equal(["grbovic2018realtime", "grbovic2018realtimea", "grbovic2018realtimeb"], keys.Take(3));
        Assert.Equal(["grbovic2018realtimez", "grbovic2018realtimeaa"], keys.Skip(26));
        var bib = BibDocument.Parse("refs.bib", text);
        Assert.Equal(28, bib.Entries.Count);
        Assert.Empty(bib.Duplicates);
        Assert.Empty(bib.Errors);
    }

    [Fact]
    public void A_key_with_forbidden_chars_is_cleaned_when_appending_and_rejected_when_formatting()
    {
        var append = BibEntryWriter.AppendEdit(BibDocument.Parse("r.bib", ""), Vaswani with { Key = "Vaswani et al, 2017" }, new HashSet<string>());

        Assert.Equal("Vaswanietal2017", append.Key);
        Assert.Throws<ArgumentException>(() => BibEntryWriter.Format(Vaswani, "bad key"));
    }

    [Fact]
    public void A_backslash_is_written_as_a_command_and_the_entry_stays_well_formed()
    {
        string bib = BibEntryWriter.Format(new Paper { Title = @"C:\path {unbalanced", Year = 2020 }, "k");

        Assert.Contains(@"title = {{C:\textbackslash{}path \textbraceleft{}unbalanced}}", bib);
        Assert.IsType<BibEntry>(Assert.Single(BibParser.Parse(bib, "k.bib")));
    }
}
