using System.Diagnostics;
using PaperLens.Core;
using PaperLens.Sources.Arxiv;
using PaperLens.Sources.BibTex;
using PaperLens.Sources.CslJson;
using static PaperLens.Tests.Sources.SourceTestSupport;

namespace PaperLens.Tests.Sources;

/// <summary>A character that is not text, or a digit of another script, costs at most its own entry, never the rest of the file.</summary>
public class BadCharacterTests
{
    [Fact]
    public void A_noncharacter_in_a_BibTeX_field_is_dropped_and_the_next_entry_read()
    {
        var (papers, problems) = ReadText(new BibTexReader(),
            "@article{a, title = {Dense\uFFFE Retrieval}, author = {Sm\uFFFFith, J.}, journal = {J\uFFFE}}\n@article{b, title = {Second}}\n");
        Assert.Empty(problems);
        Assert.Equal(["Dense Retrieval", "Second"], papers.Select(p => p.Title));
        Assert.Equal("Smith", papers[0].Authors[0].Family);
        Assert.Equal("J", papers[0].Venue);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udfff")]
    [InlineData("\\udbff\\u0041")]
    public void A_lone_surrogate_escape_in_CSL_JSON_becomes_a_replacement_char(string escape)
    {
        var (papers, problems) = ReadText(new CslJsonReader(),
            $$"""[{"id":"a","title":"Bad {{escape}} title","abstract":"x{{escape}}"},{"id":"b","title":"Good \ud83d\ude00 \\ud800"}]""");
        Assert.Empty(problems);
        Assert.Equal(2, papers.Count);
        Assert.StartsWith("Bad \uFFFD", papers[0].Title);
        Assert.Equal("Good 😀 \\ud800", papers[1].Title); // a real pair and an escaped backslash stay as they are
    }

    [Fact]
    public void A_lone_surrogate_escape_or_a_raw_noncharacter_in_arXiv_JSONL_costs_nothing()
    {
        var (papers, problems) = ReadText(new ArxivJsonlReader(), string.Join('\n',
            """{"id":"1","title":"Lone \ud800 escape","abstract":"a\udc00b","authors":"A. B\ud800"}""",
            "{\"id\":\"2\",\"title\":\"Raw \uFFFE nonchar\",\"abstract\":\"x\uFFFFy\",\"journal-ref\":\"J\uFFFE\"}",
            """{"id":"3","title":"Third"}"""));
        Assert.Empty(problems);
        Assert.Equal(["Lone \uFFFD escape", "Raw nonchar", "Third"], papers.Select(p => p.Title));
        Assert.Equal("xy", papers[1].Abstract);
        Assert.Equal("J", papers[1].Venue);
    }

    [Fact]
    public void A_year_written_with_other_digits_is_no_year_and_not_a_crash()
    {
        var arxiv = ReadText(new ArxivJsonlReader(),
            "{\"id\":\"1\",\"title\":\"T\",\"update_date\":\"201\u0663-01-01\"}\n{\"id\":\"2\",\"title\":\"U\",\"update_date\":\"2013-01-01\"}");
        Assert.Empty(arxiv.Problems);
        Assert.Equal([null, 2013], arxiv.Papers.Select(p => p.Year));

        var csl = ReadText(new CslJsonReader(),
            "[{\"id\":\"a\",\"title\":\"T\",\"issued\":{\"raw\":\"201\u0663\"}},{\"id\":\"b\",\"title\":\"U\",\"issued\":\"\u0661\u0669\u0669\u0669 or 2001\"}]");
        Assert.Empty(csl.Problems);
        Assert.Equal([null, 2001], csl.Papers.Select(p => p.Year));
    }

    [Fact]
    public void A_NUL_byte_early_in_a_text_bib_does_not_make_it_binary()
    {
        using var dir = new TempDirectory();
        var text = "@article{a, title = {First}}\n\0\n@article{b, title = {Second}}\n" + new string('%', 9000);
        var (papers, problems) = ReadFile(dir.File("refs.bib", System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.Equal(["First", "Second"], papers.Select(p => p.Title));
        Assert.DoesNotContain(problems, p => p.Message.Contains("binary"));
    }

    [Fact]
    public void LatexText_takes_every_char_without_throwing()
    {
        var all = Enumerable.Range(0, 0x10000).Select(c => (char)c)
            .Concat("\uDBFF\uDFFE\uD83F\uDFFF\uD800\uDC00".ToCharArray()).ToArray();
        for (int i = 0; i < all.Length; i += 64)
        {
            var chunk = new string(all, i, Math.Min(64, all.Length - i));
            LatexText.ToUnicode(chunk);
            LatexText.ToUnicode(@"\'{" + chunk + "} " + chunk);
        }
        Assert.Equal("ab\uFFFDc", LatexText.ToUnicode("a\uFFFEb\uD800c"));
        Assert.Equal("été", LatexText.ToUnicode("\\'{e}t\uFFFF\\'e"));
    }

    [Fact]
    public void A_LaTeX_paragraph_holding_a_noncharacter_has_plain_text()
    {
        var paragraph = DraftText.ParagraphAt("We rank\uFFFE papers \\cite{a} with \\emph{dense} models.\n", 1, DraftKind.Latex);
        Assert.Equal("We rank papers with dense models.", paragraph.Text);
    }

    [Fact]
    public void A_query_holding_a_noncharacter_or_a_lone_surrogate_has_its_words()
    {
        Assert.Equal("\"rank\" OR \"papers\"", PaperLens.Index.LexicalQuery.Build("rank\uFFFE papers\uD800"));
    }

    [Fact]
    public void A_long_chain_of_accent_commands_is_bounded_not_a_stack_overflow()
    {
        var chain = string.Concat(Enumerable.Repeat("\\'", 200_000)) + "e";
        var text = LatexText.ToUnicode(chain);
        Assert.True(text.Length < chain.Length);
    }

    [Fact]
    public void LatexText_is_linear_in_its_input()
    {
        var single = string.Concat(Enumerable.Repeat(@"\'{e}", 320_000)); // 1.6 M chars: both sizes well beyond the CPU caches
        var doubled = single + single;
        LatexText.ToUnicode(single); // warm up
        static double Time(string s)
        {
            var watch = Stopwatch.StartNew();
            var text = LatexText.ToUnicode(s);
            double elapsed = watch.Elapsed.TotalMilliseconds;
            Assert.Equal(s.Length / 5, text.Length);
            return elapsed;
        }
        double once = double.MaxValue, twice = double.MaxValue;
        for (int run = 0; run < 5; run++) // interleaved, best of five: the machine's noise hits both alike
        {
            once = Math.Min(once, Time(single));
            twice = Math.Min(twice, Time(doubled));
        }
        // Linear: twice the input, about twice the time; quadratic would be four times.
        Assert.True(twice < 3 * once, $"{single.Length} chars: {once:F1} ms; {doubled.Length} chars: {twice:F1} ms");
    }
}
