using PaperLens.Sources.BibTex;

namespace PaperLens.Tests.BibTex;

public class BibParserTests
{
    private static List<BibItem> Parse(string bib) => BibParser.Parse(bib, "test.bib").ToList();
    private static List<BibEntry> Entries(string bib) => Parse(bib).OfType<BibEntry>().ToList();
    private static List<BibError> Errors(string bib) => Parse(bib).OfType<BibError>().ToList();

    [Fact]
    public void Reads_entry_type_key_fields_and_positions()
    {
        var entry = Assert.Single(Entries("""
            % free text is ignored
            @Article{knuth84,
              Author = {Donald E. Knuth},
              TITLE  = "Literate {P}rogramming",
              year   = 1984,
            }
            """));
        Assert.Equal("article", entry.Type);
        Assert.Equal("knuth84", entry.Key);
        Assert.Equal(new TextPosition(2, 1), entry.Start);
        Assert.Equal(new TextPosition(2, 10), entry.KeyStart);
        Assert.Equal(["author", "title", "year"], entry.Fields.Select(f => f.Name));
        Assert.Equal("Literate {P}rogramming", entry.Get("title"));
        Assert.Equal("1984", entry.Get("year"));
        Assert.Equal(new TextPosition(4, 3), entry.Fields[1].NameStart);
        Assert.Equal(new TextPosition(4, 12), entry.Fields[1].ValueStart);
        Assert.Equal(new TextPosition(6, 2), entry.End);
    }

    [Fact]
    public void Keeps_nested_braces_and_multi_line_values()
    {
        var entry = Assert.Single(Entries("@misc{k, title = {A {Nested {Deep}} title\n  on two lines}}"));
        Assert.Equal("A {Nested {Deep}} title\n  on two lines", entry.Get("title"));
    }

    [Fact]
    public void Expands_string_macros_months_and_concatenation()
    {
        var items = Parse("""
            @String{ACM = "Association for Computing Machinery"}
            @string(conf = {Proc. of } # ACM)
            @inproceedings{a, publisher = acm, booktitle = Conf # " 2020", month = jan, note = undefinedmacro # 42}
            """);
        var macros = items.OfType<BibMacro>().ToList();
        Assert.Equal(["ACM", "conf"], macros.Select(m => m.Name));
        var entry = items.OfType<BibEntry>().Single();
        Assert.Equal("Association for Computing Machinery", entry.Get("publisher"));
        Assert.Equal("Proc. of Association for Computing Machinery 2020", entry.Get("booktitle"));
        Assert.Equal("January", entry.Get("month"));
        Assert.Equal("undefinedmacro42", entry.Get("note"));
    }

    [Fact]
    public void Skips_comments_preamble_and_free_text()
    {
        var entries = Entries("""
            Some notes, mail me at someone@example.org.
            @comment{ this @article{fake, title={x}} is commented out }
            @COMMENT this whole line is a comment @article{fake2,
            @preamble{ "\newcommand{\noop}[1]{}" # "x" }
            @book(paren, title = {Parenthesised (entry)}, year = 2001)
            @article{last, title={Last}}
            """);
        Assert.Equal(["paren", "last"], entries.Select(e => e.Key));
        Assert.Equal("Parenthesised (entry)", entries[0].Get("title"));
        Assert.Equal("book", entries[0].Type);
    }

    [Fact]
    public void Accepts_keys_with_parentheses_and_entries_without_fields()
    {
        var entries = Entries("@article{10.1016/S1071-5819(20)30022-7, title={T}}\n@misc{bare}\n@misc{trailing, a = 1,}");
        Assert.Equal(["10.1016/S1071-5819(20)30022-7", "bare", "trailing"], entries.Select(e => e.Key));
    }

    [Fact]
    public void Several_entries_on_one_line()
    {
        var entries = Entries("@misc{a, title={A}} @misc{b, title={B}}@misc{c, title={C}}");
        Assert.Equal(["a", "b", "c"], entries.Select(e => e.Key));
        Assert.All(entries, e => Assert.Equal(1, e.Start.Line));
    }

    // Each malformed entry is reported at the right line and the entries after it still load.
    [Theory]
    [InlineData("@article{, title = {No key}}", 2, "no citation key")]
    [InlineData("@article{title = {No key}}", 2, "no citation key")]
    [InlineData("@article{k,\n  title {Missing equals}}", 3, "expected '='")]
    [InlineData("@article{k,\n  title = {Unbalanced {{braces},\n  year = 2000}\n", 3, "unbalanced braces")]
    [InlineData("@article{k,\n  title = \"Unterminated quote,\n  year = 2000}\n", 3, "unterminated quoted value")]
    [InlineData("@article{k,\n  title = {Never closed},\n", 2, "not closed before the next entry")]
    [InlineData("@article{k,\n  title = {Never closed}\n", 2, "not closed before the next entry")]
    [InlineData("@article{k,\n  title = {A} year = {2000}}", 3, "expected ',' or '}'")]
    [InlineData("@article{k,\n  title = , year = 2000}", 3, "expected a value")]
    [InlineData("@article k, title = {A}}", 2, "expected '{' or '('")]
    public void Malformed_entry_is_reported_and_skipped(string bad, int line, string reason)
    {
        var items = Parse($"@misc{{before, title={{B}}}}\n{bad}\n@misc{{after1, title={{A1}}}}\n@misc{{after2, title={{A2}}}}\n");
        var error = Assert.Single(items.OfType<BibError>());
        Assert.Equal(line, error.Start.Line);
        Assert.Contains(reason, error.Message);
        Assert.Equal("test.bib", error.File);
        Assert.Equal(["before", "after1", "after2"], items.OfType<BibEntry>().Select(e => e.Key));
    }

    [Fact]
    public void End_of_file_inside_an_entry_is_an_error()
    {
        var items = Parse("@misc{ok, title={A}}\n@article{cut,\n  title = {Half");
        Assert.Equal("ok", Assert.Single(items.OfType<BibEntry>()).Key);
        var error = Assert.Single(items.OfType<BibError>());
        Assert.Equal(3, error.Start.Line);
        Assert.Contains("file ends", error.Message);

        error = Assert.Single(Errors("@article{cut, title = {Whole}"));
        Assert.Equal(1, error.Start.Line);
        Assert.Contains("file ends inside entry 'cut'", error.Message);
    }

    [Fact]
    public void Error_in_a_single_line_entry_resumes_on_the_same_line()
    {
        var items = Parse("@misc{a, title {A}} @misc{b, title = {B}}");
        Assert.Single(items.OfType<BibError>());
        Assert.Equal("b", Assert.Single(items.OfType<BibEntry>()).Key);
    }

    [Fact]
    public void Overlong_value_is_an_error()
    {
        string huge = new('x', BibParser.MaxValueLength + 10);
        var items = Parse($"@misc{{big,\n abstract = {{{huge}}}}}\n@misc{{small, title={{S}}}}");
        var error = Assert.Single(items.OfType<BibError>());
        Assert.Equal(2, error.Start.Line);
        Assert.Contains("longer than 1 MB", error.Message);
        Assert.Equal("small", Assert.Single(items.OfType<BibEntry>()).Key);
    }

    [Fact]
    public void Counts_lines_with_crlf_and_cr_endings()
    {
        var entries = Entries("@misc{a, title={A}}\r\n\r\n@misc{b, title={B}}\r@misc{c, title={C}}");
        Assert.Equal([1, 3, 4], entries.Select(e => e.Start.Line));
    }
}
