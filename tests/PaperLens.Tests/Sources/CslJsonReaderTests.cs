using PaperLens.Sources.CslJson;
using static PaperLens.Tests.Sources.SourceTestSupport;

namespace PaperLens.Tests.Sources;

public class CslJsonReaderTests
{
    private static (List<PaperLens.Core.Paper> Papers, List<PaperLens.Core.SourceProblem> Problems) ReadFixture() =>
        ReadText(new CslJsonReader(), File.ReadAllText(Fixture("zotero-export.json")), "zotero-export.json");

    [Fact]
    public void ZoteroExport_ReadsItems_SkipsTheOneWithoutTitle()
    {
        var (papers, problems) = ReadFixture();

        Assert.Equal(["Language Models are Few-Shot Learners", "Attention is All you Need", "GPT-4 Technical Report", "Über die Ähnlichkeit von Dokumenten"],
            papers.Select(p => p.Title));
        var problem = Assert.Single(problems);
        Assert.Contains("no title", problem.Message);
        Assert.Equal(88, problem.Location.Line);   // the line of that item's opening brace
    }

    [Fact]
    public void ZoteroItem_WithDatePartsAndArxivDoi()
    {
        var brown = ReadFixture().Papers[0];
        Assert.False(brown.HasSourceKey);                 // a Zotero URI is not a citation key
        Assert.Equal(2020, brown.Year);                   // "2020" given as a string in date-parts
        Assert.Equal(["Brown", "Mann", "Ryder"], brown.Authors.Select(a => a.Family));
        Assert.Equal("Tom B.", brown.Authors[0].Given);
        Assert.Equal("2005.14165", brown.ArxivId);
        Assert.Equal("article", brown.EntryType);
        Assert.Equal("Advances in Neural Information Processing Systems", brown.Venue);
        Assert.StartsWith("Recent work has demonstrated", brown.Abstract);
        Assert.Equal(2, brown.Source.Line);
    }

    [Fact]
    public void BetterBibTexCitationKey_IsPreferredOverId_YearOnlyDateParts()
    {
        var vaswani = ReadFixture().Papers[1];
        Assert.True(vaswani.HasSourceKey);
        Assert.Equal("vaswani2017attention", vaswani.Key);
        Assert.Equal(2017, vaswani.Year);
        Assert.Equal("inproceedings", vaswani.EntryType);
    }

    [Fact]
    public void LiteralAuthor_RawDate_ArxivNumber_KeyFromId()
    {
        var gpt4 = ReadFixture().Papers[2];
        Assert.Equal("openai2023gpt4", gpt4.Key);
        Assert.True(gpt4.HasSourceKey);
        Assert.Equal("OpenAI", Assert.Single(gpt4.Authors).Family);
        Assert.Equal(2023, gpt4.Year);
        Assert.Equal("2303.08774", gpt4.ArxivId);
        Assert.Equal("techreport", gpt4.EntryType);
    }

    [Fact]
    public void CitationKeyInNote_ParticleAndLiteralDate()
    {
        var muller = ReadFixture().Papers[3];
        Assert.Equal("muller2019ahnlichkeit", muller.Key);
        Assert.Equal(new PaperLens.Core.PersonName("von Müller", "Béatrice"), muller.Authors[0]);
        Assert.Equal(2019, muller.Year);
        Assert.Equal("incollection", muller.EntryType);
    }

    [Fact]
    public void BadItemInTheMiddle_IsReportedWithItsLine_OthersLoad()
    {
        var json = """
            [
              {"id": "a2020", "title": "First Paper", "issued": {"date-parts": [[2020]]}},
              {"id": "b2021", "title": "Second Paper",
               "issued": {"date-parts": [[2021]]},
               "author": [{"family": "Jones" "given": "B."}]},
              {"id": "c2022", "title": "Third Paper"},
              42
            ]
            """;
        var (papers, problems) = ReadText(new CslJsonReader(), json);

        Assert.Equal(["a2020", "c2022"], papers.Select(p => p.Key));
        Assert.Equal(2, problems.Count);
        Assert.Equal(5, problems[0].Location.Line);         // the line of the missing comma
        Assert.Contains("invalid JSON in CSL item starting at line 3", problems[0].Message);
        Assert.Equal(7, problems[1].Location.Line);
        Assert.Contains("not an object", problems[1].Message);
    }

    [Fact]
    public void TruncatedFile_KeepsItemsReadBefore_ReportsTheBreak()
    {
        var json = """
            [
              {"id": "a2020", "title": "First Paper"},
              {"id": "b2021", "title": "Second Paper"},
              {"id": "c2022", "title": "Third Pa
            """;
        var (papers, problems) = ReadText(new CslJsonReader(), json);

        Assert.Equal(["a2020", "b2021"], papers.Select(p => p.Key));
        var problem = Assert.Single(problems);
        Assert.Equal(4, problem.Location.Line);
        Assert.Contains("unexpected end of file", problem.Message);
    }

    [Fact]
    public void TruncatedBetweenItems_IsReported()
    {
        var (papers, problems) = ReadText(new CslJsonReader(), "[\n{\"id\": \"a\", \"title\": \"Only One\"},\n");
        Assert.Single(papers);
        Assert.Contains("not closed", Assert.Single(problems).Message);
    }

    [Fact]
    public void SingleObjectAndNonArray()
    {
        Assert.Single(ReadText(new CslJsonReader(), """{"id": "solo", "title": "A Lone Item"}""").Papers);
        var (papers, problems) = ReadText(new CslJsonReader(), "\"just a string\"");
        Assert.Empty(papers);
        Assert.Contains("expected a JSON array", Assert.Single(problems).Message);
    }

    [Fact]
    public void StringsWithBracesAndEscapes_DoNotConfuseItemSplitting()
    {
        var json = """[{"id": "k1", "title": "Sets {a, b} and [c] \"quoted\" }]"}, {"id": "k2", "title": "Next"}]""";
        var (papers, problems) = ReadText(new CslJsonReader(), json);
        Assert.Empty(problems);
        Assert.Equal("Sets {a, b} and [c] \"quoted\" }]", papers[0].Title);
        Assert.Equal("k2", papers[1].Key);
    }
}
