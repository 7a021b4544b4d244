using PaperLens.Core;
using PaperLens.Sources.BibTex;

namespace PaperLens.Tests.BibTex;

public class BibTexReaderTests
{
    private static (List<Paper> Papers, List<SourceProblem> Problems) Read(string bib)
    {
        var problems = new List<SourceProblem>();
        var papers = new BibTexReader().Read("refs.bib", new StringReader(bib), problems.Add).ToList();
        return (papers, problems);
    }

    [Fact]
    public void Maps_an_acm_style_entry()
    {
        var (papers, problems) = Read("""
            @inproceedings{10.1145/2407085.2407086,
            author = {Crane, Matt and Trotman, Andrew and B\'{e}atrice Daille},
            title = {Effects of {Spam} Removal on Search \& Indexing},
            year = {2012},
            publisher = {Association for Computing Machinery},
            url = {https://doi.org/10.1145/2407085.2407086},
            doi = {10.1145/2407085.2407086},
            abstract = {Spam has long been identified as a problem -- really.},
            booktitle = {Proceedings of the Seventeenth Australasian Document Computing Symposium},
            series = {ADCS '12}
            }
            """);
        Assert.Empty(problems);
        var paper = Assert.Single(papers);
        Assert.Equal("10.1145/2407085.2407086", paper.Key);
        Assert.True(paper.HasSourceKey);
        Assert.Equal("Effects of Spam Removal on Search & Indexing", paper.Title);
        Assert.Equal([new PersonName("Crane", "Matt"), new PersonName("Trotman", "Andrew"), new PersonName("Daille", "Béatrice")], paper.Authors);
        Assert.Equal(2012, paper.Year);
        Assert.Equal("Proceedings of the Seventeenth Australasian Document Computing Symposium", paper.Venue);
        Assert.Equal("Spam has long been identified as a problem – really.", paper.Abstract);
        Assert.Equal("10.1145/2407085.2407086", paper.Doi);
        Assert.Null(paper.ArxivId);
        Assert.Equal("https://doi.org/10.1145/2407085.2407086", paper.Url);
        Assert.Equal("inproceedings", paper.EntryType);
        Assert.Equal(new SourceLocation("refs.bib", 1), paper.Source);
    }

    [Fact]
    public void Venue_prefers_journal_then_journaltitle_booktitle_series_publisher()
    {
        var (papers, _) = Read("""
            @article{a, journal = {J}, booktitle = {B}, publisher = {P}}
            @article{b, journaltitle = {JT}, series = {S}}
            @article{c, series = {S}, publisher = {P}}
            @article{d, publisher = {P}}
            @article{e, title = {No venue}}
            """);
        Assert.Equal(["J", "JT", "S", "P", null], papers.Select(p => p.Venue));
    }

    [Fact]
    public void Year_comes_from_year_or_date_and_editor_stands_in_for_author()
    {
        var (papers, _) = Read("""
            @book{a, title = {A}, date = {2019-05-01}, editor = {Ed Itor}}
            @book{b, title = {B}, year = {circa 1999}, date = {2001}}
            @book{c, title = {C}, year = {n.d.}}
            """);
        Assert.Equal([2019, 1999, null], papers.Select(p => p.Year));
        Assert.Equal([new PersonName("Itor", "Ed")], papers[0].Authors);
    }

    [Theory]
    [InlineData("doi = {https://doi.org/10.1000/ABC\\_1}", "10.1000/ABC_1", null)]
    [InlineData("doi = {doi:10.1000/x}", "10.1000/x", null)]
    [InlineData("eprint = {1810.04805}, archiveprefix = {arXiv}", null, "1810.04805")]
    [InlineData("eprint = {hep-th/9901001}, eprinttype = {arxiv}", null, "hep-th/9901001")]
    [InlineData("journal = {arXiv preprint arXiv:1706.03762}", null, "1706.03762")]
    [InlineData("url = {https://arxiv.org/abs/2005.14165v4}", null, "2005.14165")]
    [InlineData("eprint = {12345}, eprinttype = {pubmed}", null, null)]
    public void Normalises_doi_and_finds_arxiv_ids(string fields, string? doi, string? arxiv)
    {
        var paper = Assert.Single(Read($"@article{{k, title = {{T}}, {fields}}}").Papers);
        Assert.Equal(doi, paper.Doi);
        Assert.Equal(arxiv, paper.ArxivId);
    }

    [Fact]
    public void Duplicate_key_is_reported_and_the_first_kept()
    {
        var (papers, problems) = Read("@misc{dup, title = {First}}\n@misc{other, title = {O}}\n@misc{dup, title = {Second}}\n");
        Assert.Equal(["First", "O"], papers.Select(p => p.Title));
        var problem = Assert.Single(problems);
        Assert.Equal(new SourceLocation("refs.bib", 3), problem.Location);
        Assert.Contains("duplicate key 'dup', first defined at line 1", problem.Message);
    }

    [Fact]
    public void Parse_errors_become_problems_with_file_and_line()
    {
        var (papers, problems) = Read("@misc{a, title = {A}}\n\n@misc{b,\n title {B}}\n@misc{c, title = {C}}");
        Assert.Equal(["a", "c"], papers.Select(p => p.Key));
        var problem = Assert.Single(problems);
        Assert.Equal(new SourceLocation("refs.bib", 4), problem.Location);
        Assert.Contains("expected '='", problem.Message);
    }

    [Fact]
    public void Entry_without_title_still_loads_by_key()
    {
        var paper = Assert.Single(Read("@misc{key-only, year = 2020}").Papers);
        Assert.Equal("key-only", paper.Key);
        Assert.Equal("", paper.Title);
    }
}
