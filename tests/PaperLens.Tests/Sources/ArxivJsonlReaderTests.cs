using PaperLens.Sources.Arxiv;
using static PaperLens.Tests.Sources.SourceTestSupport;

namespace PaperLens.Tests.Sources;

public class ArxivJsonlReaderTests
{
    private static List<PaperLens.Core.Paper> ReadFixture()
    {
        var (papers, problems) = ReadText(new ArxivJsonlReader(), File.ReadAllText(Fixture("arxiv-snapshot.jsonl")));
        Assert.Empty(problems);
        return papers;
    }

    [Fact]
    public void SnapshotRecords_MapToPapers()
    {
        var papers = ReadFixture();
        Assert.Equal(["0704.0001", "0704.0002", "hep-ph/0701001", "2309.12345"], papers.Select(p => p.ArxivId));
        Assert.Equal([1, 2, 3, 4], papers.Select(p => p.Source.Line));
        Assert.All(papers, p => Assert.False(p.HasSourceKey));

        var first = papers[0];
        Assert.Equal("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies", first.Title);
        Assert.StartsWith("A fully differential calculation in perturbative quantum chromodynamics is presented", first.Abstract);
        Assert.EndsWith("next-to-next-to-leading logarithmic accuracy.", first.Abstract);
        Assert.Equal(2007, first.Year);                                   // first version, not update_date
        Assert.Equal("10.1103/PhysRevD.76.013009", first.Doi);
        Assert.Equal("Phys.Rev.D76:013009,2007", first.Venue);
        Assert.Equal("article", first.EntryType);
        Assert.Equal("https://arxiv.org/abs/0704.0001", first.Url);
        Assert.Equal(["Balázs", "Berger", "Nadolsky", "Yuan"], first.Authors.Select(a => a.Family));
        Assert.Equal("E. L.", first.Authors[1].Given);
    }

    [Fact]
    public void OldStyleId_And_MissingVersions_FallBackToUpdateDate()
    {
        var papers = ReadFixture();
        Assert.Equal("https://arxiv.org/abs/hep-ph/0701001", papers[2].Url);
        Assert.Equal(2007, papers[2].Year);
        var recent = papers[3];
        Assert.Equal(2023, recent.Year);                                 // versions is empty
        Assert.Equal("misc", recent.EntryType);
        Assert.Null(recent.Doi);
        // authors_parsed empty: the authors string is split instead.
        Assert.Equal([("Doe", "Jane"), ("Schmidt", "Jürgen"), ("Zhang", "Wei")], recent.Authors.Select(a => (a.Family, a.Given)));
    }

    [Fact]
    public void BrokenLineInTheMiddle_IsReportedAndSkipped()
    {
        var text = string.Join('\n',
            """{"id":"2101.00001","title":"First","versions":[{"version":"v1","created":"Fri, 1 Jan 2021 00:00:00 GMT"}]}""",
            """{"id":"2101.00002","title":"Second","versions":[{"version":"v1","creat""",
            "",
            """["not", "an", "object"]""",
            """{"id":"2101.00004","abstract":"no title here"}""",
            """{"id":"2101.00005","title":"Fifth","update_date":"2021-01-05"}""");
        var (papers, problems) = ReadText(new ArxivJsonlReader(), text);

        Assert.Equal(["2101.00001", "2101.00005"], papers.Select(p => p.ArxivId));
        Assert.Equal([2, 4, 5], problems.Select(p => p.Location.Line));
        Assert.Contains("invalid JSON", problems[0].Message);
        Assert.Contains("not a JSON object", problems[1].Message);
        Assert.Contains("no title", problems[2].Message);
        Assert.Equal(6, papers[1].Source.Line);
    }

    [Fact]
    public void AuthorsString_WithAndAndAffiliations()
    {
        var text = """{"id":"1","title":"T","authors":"A. Smith, B. Jones and C. Lee (1) ((1) MIT)","authors_parsed":null}""";
        var paper = Assert.Single(ReadText(new ArxivJsonlReader(), text).Papers);
        Assert.Equal(["Smith", "Jones", "Lee"], paper.Authors.Select(a => a.Family));
        Assert.Equal("C.", paper.Authors[2].Given);
    }

    [Fact]
    public void Lines_parsed_in_parallel_batches_come_out_in_file_order_with_problems_in_order()
    {
        // 5,000 lines: several batches parsed on all cores; every 997th line is broken.
        var lines = Enumerable.Range(1, 5000).Select(i => i % 997 == 0
            ? "{\"id\":\"broken" + i
            : $$$"""{"id":"2101.{{{i:00000}}}","title":"Paper {{{i}}} on $\\alpha$-decay","update_date":"2021-01-05"}""");
        var (papers, problems) = ReadText(new ArxivJsonlReader(), string.Join('\n', lines));

        var good = Enumerable.Range(1, 5000).Where(i => i % 997 != 0).ToList();
        Assert.Equal(good.Select(i => $"2101.{i:00000}"), papers.Select(p => p.ArxivId));
        Assert.Equal(good, papers.Select(p => p.Source.Line));
        Assert.Equal("Paper 1500 on α-decay", papers.Single(p => p.Source.Line == 1500).Title);
        Assert.Equal([997, 1994, 2991, 3988, 4985], problems.Select(p => p.Location.Line));
    }
}
