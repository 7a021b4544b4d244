using System.Diagnostics;
using System.Text;
using PaperLens.Features;
using PaperLens.Features.Bib;
using Xunit.Abstractions;
using static PaperLens.Tests.Features.Bib.BibText;

namespace PaperLens.Tests.Features.Bib;

public class BibDocumentTests(ITestOutputHelper output)
{
    [Fact]
    public void Entries_have_key_entry_and_field_ranges_and_papers()
    {
        const string text = """
            % references
            @Article{knuth84,
              author = {Donald E. Knuth},
              title  = {Literate {P}rogramming},
              year   = 1984,
            }

            @inproceedings{vaswani2017, title = {Attention Is All You Need}, year = {2017}}
            """;
        var bib = BibDocument.Parse("refs.bib", text);

        Assert.Empty(bib.Errors);
        Assert.Equal(["knuth84", "vaswani2017"], bib.Entries.Select(e => e.Key));
        Assert.Equal(["article", "inproceedings"], bib.Entries.Select(e => e.Type));

        var knuth = bib.Entries[0];
        Assert.Equal(RangeOf(text, "knuth84"), knuth.KeyRange);
        Assert.Equal(new LineRange(RangeOf(text, "@Article").Start, PositionOf(text, text.IndexOf("}\n\n@") + 1)), knuth.Range);
        var title = Assert.Single(knuth.Fields, f => f.Name == "title");
        Assert.Equal("title", TextOf(text, title.NameRange));
        Assert.Equal("{Literate {P}rogramming}", TextOf(text, title.ValueRange));
        Assert.Equal("Literate Programming", knuth.Paper.Title);
        Assert.Equal("Knuth", Assert.Single(knuth.Paper.Authors).Family);
        Assert.Equal(1984, knuth.Paper.Year);

        var vaswani = bib.Entries[1];
        Assert.Equal(text[text.IndexOf("@inproceedings")..], TextOf(text, vaswani.Range));
        Assert.Equal("{2017}", TextOf(text, vaswani.Fields.Single(f => f.Name == "year").ValueRange));
        Assert.Same(vaswani, bib.Find("VASWANI2017"));
    }

    [Fact]
    public void Columns_count_utf16_code_units_after_non_ascii_text()
    {
        const string text = "% Zürich — 😀 notes @misc{ключ😀, title = {Ünïcode}} @misc{third, title = {x}}\n@misc{x😀y, title={t}}";
        var bib = BibDocument.Parse("u.bib", text);

        Assert.Empty(bib.Errors);
        Assert.Equal(["ключ😀", "third", "x😀y"], bib.Entries.Select(e => e.Key));
        foreach (var entry in bib.Entries)
        {
            Assert.Equal(RangeOf(text, entry.Key), entry.KeyRange);
            Assert.Equal(entry.Key, TextOf(text, entry.KeyRange));
        }
        // "ключ😀" is 6 UTF-16 units (the emoji is a surrogate pair).
        Assert.Equal(6, bib.Entries[0].KeyRange.End.Column - bib.Entries[0].KeyRange.Start.Column);
        Assert.Equal(text.IndexOf("third"), bib.Entries[1].KeyRange.Start.Column);
    }

    [Fact]
    public void Malformed_entries_become_errors_on_their_lines_and_the_rest_still_parses()
    {
        const string text = """
            @article{good1, title = {Fine}}
            @article{bad1, title = {Unclosed
            @article{good2, title = {Also fine}}
            @article{, title = {No key}}
            @book{bad3 title = {missing comma}}
            @misc{good3, year = 2020}
            """;
        var bib = BibDocument.Parse("bad.bib", text);
        string[] lines = text.Split('\n');

        Assert.Equal(["good1", "good2", "good3"], bib.Entries.Select(e => e.Key));
        Assert.Equal([1, 3, 4], bib.Errors.Select(e => e.Range.Start.Line));
        foreach (var error in bib.Errors)
        {
            // Each error runs from where the parser stopped to the end of that line.
            Assert.Equal(new LinePosition(error.Range.Start.Line, lines[error.Range.Start.Line].Length), error.Range.End);
        }
        Assert.Equal(RangeOf(text, "{Unclosed").Start, bib.Errors[0].Range.Start);
        Assert.Contains("bad1", bib.Errors[0].Message);
        Assert.Contains("no citation key", bib.Errors[1].Message);
        Assert.Equal(RangeOf(text, "title = {missing").Start, bib.Errors[2].Range.Start);
        Assert.Contains("expected ','", bib.Errors[2].Message);
    }

    [Fact]
    public void An_entry_cut_off_by_the_end_of_the_file_is_an_error_at_its_start()
    {
        const string text = "@misc{ok, title = {x}}\n\n@article{cut, title = {T},\n  year = 2020";
        var bib = BibDocument.Parse("cut.bib", text);

        var error = Assert.Single(bib.Errors);
        Assert.Equal(RangeOf(text, "@article").Start, error.Range.Start);
        Assert.Contains("ends inside entry 'cut'", error.Message);
        Assert.Equal("ok", Assert.Single(bib.Entries).Key);
    }

    [Fact]
    public void Repeated_keys_in_a_file_are_duplicates_naming_the_first_line()
    {
        const string text = "@misc{a, title={1}}\n@misc{b, title={2}}\n\n@misc{A, title={3}}\n@misc{a, title={4}}";
        var bib = BibDocument.Parse("d.bib", text);

        Assert.Equal(4, bib.Entries.Count);
        Assert.Equal([3, 4], bib.Duplicates.Select(d => d.Entry.KeyRange.Start.Line));
        Assert.All(bib.Duplicates, d => Assert.Same(bib.Entries[0], d.First));
        Assert.Equal("duplicate key 'A', first defined at line 1", bib.Duplicates[0].Message);
        Assert.Same(bib.Entries[0], bib.Find("A"));
    }

    [Theory]
    [InlineData("@article{vas|wani2017, title = {Attention}}", "vaswani2017", "vaswani2017")]
    [InlineData("@article{vaswani2017|, title = {Attention}}", "vaswani2017", "vaswani2017")]
    [InlineData("@article{|vaswani2017, title = {Attention}}", "vaswani2017", "vaswani2017")]
    [InlineData("@article{vaswani2017, title = {Att|ention}}", "vaswani2017", null)]
    [InlineData("|@article{vaswani2017, title = {Attention}}", "vaswani2017", null)]
    [InlineData("@misc{a, title={x}}\n  |\n@misc{b, title={y}}", null, null)]
    [InlineData("@misc{a, title={x}}\n@misc{b,\n  title={y|}}", "b", null)]
    public void EntryAt_and_KeyAt_find_what_the_cursor_is_on(string source, string? entryKey, string? key)
    {
        var fixture = Fixture.Parse("%! refs.bib\n" + source);
        var bib = BibDocument.Parse("refs.bib", fixture.CursorText);
        var cursor = PositionOf(fixture.CursorText, fixture.CursorOffset);

        Assert.Equal(entryKey, bib.EntryAt(cursor)?.Key);
        Assert.Equal(key, bib.KeyAt(cursor)?.Key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("% just a comment, no entries\n")]
    public void A_file_without_entries_has_nothing_and_an_end(string text)
    {
        var bib = BibDocument.Parse("empty.bib", text);

        Assert.Empty(bib.Entries);
        Assert.Empty(bib.Errors);
        Assert.Empty(bib.Duplicates);
        Assert.Equal(PositionOf(text, text.Length), bib.End);
        Assert.Null(bib.EntryAt(new LinePosition(0, 0)));
    }

    [Fact]
    public void Crlf_line_breaks_count_as_one()
    {
        const string text = "@misc{a,\r\n  title = {x}}\r\n@misc{b, title = {y}}\r\n";
        var bib = BibDocument.Parse("crlf.bib", text);

        Assert.Equal(new LineRange(new(2, 6), new(2, 7)), bib.Entries[1].KeyRange);
        Assert.Equal(new LinePosition(1, 14), bib.Entries[0].Range.End);
        Assert.Equal(new LinePosition(3, 0), bib.End);
    }

    [Fact]
    public void Parses_a_5000_entry_file_fast_enough_to_redo_on_each_edit()
    {
        string text = SyntheticBib(5000);
        BibDocument.Parse("warmup.bib", SyntheticBib(200)).Entries.Select(e => e.Paper).ToList();

        var parse = Time(() => BibDocument.Parse("big.bib", text));
        var bib = BibDocument.Parse("big.bib", text);
        var symbols = Time(() => BibSymbols.For(BibDocument.Parse("big.bib", text)));
        output.WriteLine($"5000 entries, {text.Length / 1024} KiB. Parse: {parse}. Parse + map every paper (symbols): {symbols}");

        Assert.Equal(5000, bib.Entries.Count);
        Assert.Empty(bib.Errors);
        Assert.Equal("Müller", bib.Entries[4999].Paper.Authors[0].Family);
        Assert.True(parse.MedianMs < 3000, $"median parse took {parse.MedianMs:F0} ms");
    }

    private sealed record Timing(double MedianMs, double BestMs, double MedianCpuMs)
    {
        public override string ToString() => $"median {MedianMs:F0} ms (best {BestMs:F0} ms, median CPU {MedianCpuMs:F0} ms)";
    }

    /// <summary>Five runs; wall and process CPU time (the machine may be shared, so CPU time is the steadier figure).</summary>
    private static Timing Time(Action action)
    {
        var wall = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        for (int run = 0; run < 5; run++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            wall.Add(watch.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        wall.Sort();
        cpu.Sort();
        return new Timing(wall[2], wall[0], cpu[2]);
    }

    /// <summary>Entries shaped like exported records: several authors, accents, a DOI and a few hundred chars of abstract.</summary>
    private static string SyntheticBib(int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            sb.Append($"@inproceedings{{paper{i},\n");
            sb.Append($"  author = {{M{{\\\"u}}ller, J{{\\\"o}}rg and Smith, Jane and van der Berg, Piet and Doe{i}, John}},\n");
            sb.Append($"  title = {{{{Learning}} {{$\\alpha$}}-Representations for Task {i}: A Study of {{BERT}}}},\n");
            sb.Append("  booktitle = {Proceedings of the 42nd International Conference on Machine Learning},\n");
            sb.Append($"  year = {{{2000 + i % 25}}},\n  pages = {{{i}--{i + 10}}},\n  doi = {{10.1145/{i}.{i * 7}}},\n");
            sb.Append("  abstract = {");
            for (int s = 0; s < 6; s++) sb.Append("We study representations learned by large models and show that they transfer well. ");
            sb.Append("},\n}\n\n");
        }
        return sb.ToString();
    }
}
