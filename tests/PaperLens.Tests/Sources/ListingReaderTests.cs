using PaperLens.Sources.Listing;
using static PaperLens.Tests.Sources.SourceTestSupport;

namespace PaperLens.Tests.Sources;

public class ListingReaderTests
{
    [Fact]
    public void SampleListing_YieldsAll67PapersWithExactTitlesAndAbstracts()
    {
        var lines = File.ReadAllLines(SampleListing);
        var (papers, problems) = ReadText(new ListingReader(), File.ReadAllText(SampleListing), SampleListing);

        Assert.Empty(problems);
        // The page holds 67 papers (the brief said 66): 5 chrome lines, then 67 title/abstract pairs, one abstract line each.
        Assert.Equal(67, papers.Count);
        Assert.Equal(lines.Count(l => l.Length > 1000), papers.Count);
        foreach (var p in papers)
        {
            int i = p.Source.Line - 1;
            Assert.Equal(lines[i], p.Title);                      // the exact title line
            Assert.Equal("", lines[i + 1]);
            Assert.Equal(lines[i + 2], p.Abstract);               // the whole paragraph
            Assert.True(i + 3 == lines.Length || lines[i + 3] == "", $"abstract of '{p.Title}' continues");
            Assert.Null(p.Year);
            Assert.Empty(p.Authors);
            Assert.False(p.HasSourceKey);
            Assert.Equal(SampleListing, p.Source.File);
        }
        Assert.Equal(67, papers.Select(p => p.Title).Distinct().Count());
    }

    [Fact]
    public void SampleListing_SkipsPageChrome()
    {
        var (papers, _) = ReadText(new ListingReader(), File.ReadAllText(SampleListing));
        var titles = papers.Select(p => p.Title).ToHashSet();
        foreach (var chrome in new[] { "new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community", "Mar 17" })
            Assert.DoesNotContain(chrome, titles);
        // Every short line of the page that is not followed by a long paragraph is chrome; none became a title.
        Assert.Equal("Facilitating large language model Russian adaptation with Learned Embedding Propagation", papers[0].Title);
        Assert.Equal(11, papers[0].Source.Line);
    }

    [Theory]
    [InlineData("Pointer Networks",
        "We introduce a new neural architecture to learn the conditional probability",
        "a broader exploration of neural learning for discrete problems.")]
    [InlineData("Transductive Few-Shot Learning: Clustering is All You Need?",
        "We investigate a general formulation for clustering and transductive few-shot learning",
        "convoluted few-shot learning techniques in the recent literature.")]
    [InlineData("A Topological Perspective on Demystifying GNN-Based Link Prediction Performance",
        "Graph Neural Networks (GNNs) have shown great promise in learning node embeddings for link prediction",
        "https://github.com/YuWVandy/Topo_LP_GNN.")]
    public void SampleListing_SpotChecks(string title, string abstractStart, string abstractEnd)
    {
        var (papers, _) = ReadText(new ListingReader(), File.ReadAllText(SampleListing));
        var paper = Assert.Single(papers, p => p.Title == title);
        Assert.StartsWith(abstractStart, paper.Abstract);
        Assert.EndsWith(abstractEnd, paper.Abstract);
    }

    [Fact]
    public void ChromeAroundAndBetweenPapers_IsSkipped_WrappedAbstractsJoined_CrlfHandled()
    {
        var text = string.Join("\r\n",
            "Papers", "", "Home · Trending · Collections", "", "Mar 18", "",
            "Graph Mamba: Towards Learning on Graphs with State Space Models", "",
            "Graph Neural Networks (GNNs) have shown promising potential in graph representation",
            "learning. The majority of GNNs define a local message-passing mechanism, propagating",
            "information over the graph by stacking multiple layers.", "",
            "Load more", "", "Mar 17", "",
            "Pointer Networks", "",
            "We introduce a new neural architecture to learn the conditional probability of an output sequence with elements that are discrete tokens corresponding to positions in an input sequence.",
            "", "About", "", "Terms of service", "", "Privacy", "");
        var (papers, problems) = ReadText(new ListingReader(), text);

        Assert.Empty(problems);
        Assert.Equal(["Graph Mamba: Towards Learning on Graphs with State Space Models", "Pointer Networks"], papers.Select(p => p.Title));
        Assert.Equal(7, papers[0].Source.Line);
        Assert.StartsWith("Graph Neural Networks (GNNs) have shown promising potential in graph representation learning. The majority", papers[0].Abstract);
        Assert.EndsWith("stacking multiple layers.", papers[0].Abstract);
        Assert.Equal(17, papers[1].Source.Line);
    }

    [Fact]
    public void ShortParagraphAfterTitle_IsNotAnAbstract()
    {
        var (papers, _) = ReadText(new ListingReader(), "Sign in\n\nJoin the community to get updates.\n\n");
        Assert.Empty(papers);
    }
}
