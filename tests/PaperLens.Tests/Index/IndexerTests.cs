using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Index;

namespace PaperLens.Tests.Index;

public class IndexerTests
{
    private const string TwoPapers = """
        @article{smith2020deep,
          title = {Deep Retrieval of Scientific Papers},
          author = {Smith, Anna and Jones, Bob},
          year = {2020},
          abstract = {We retrieve scientific papers with dense vectors.}
        }
        @inproceedings{lee2021graph,
          title = {Graph Networks for Citation Recommendation},
          author = {Lee, Chen},
          year = 2021,
          abstract = {Citation graphs help recommend papers.}
        }
        """;

    private static (SyncResult Result, List<SourceProblem> Problems) Sync(PaperStore store, params string[] paths)
    {
        var problems = new List<SourceProblem>();
        return (new Indexer(store).Sync(paths, problems.Add), problems);
    }

    [Fact]
    public void Reindexing_adds_updates_removes_and_skips_unchanged_papers()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", TwoPapers);
        using var store = PaperStore.Open(dir.Combine("index.db"));

        var first = Sync(store, bib).Result;
        Assert.Equal((2, 2, 0, 0, 0), (first.Papers, first.Added, first.Updated, first.Removed, first.Unchanged));

        var again = Sync(store, bib).Result;
        Assert.Equal((0, 0, 0, 2), (again.Added, again.Updated, again.Removed, again.Unchanged));

        File.WriteAllText(bib, TwoPapers.Replace("Citation graphs help", "Citation graphs strongly help")
            .Replace("@article{smith2020deep", "@article{smith2020deeper") + "\n@misc{new2022, title = {A New Paper on Ranking}, year = 2022}\n");
        var changed = Sync(store, bib).Result;
        Assert.Equal((3, 2, 1, 1, 0), (changed.Papers, changed.Added, changed.Updated, changed.Removed, changed.Unchanged));
        Assert.Null(store.GetByKey("smith2020deep"));
        Assert.Equal("Citation graphs strongly help recommend papers.", store.GetByKey("lee2021graph")!.Paper.Abstract);
        Assert.Equal(3, store.Stats(null).Papers);
    }

    [Fact]
    public void Only_changed_texts_are_re_embedded()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", TwoPapers);
        using var store = PaperStore.Open(dir.Combine("index.db"));
        using var embedder = new HashingEmbedder();
        var indexer = new Indexer(store);

        indexer.Sync([bib], _ => { });
        Assert.Equal(2, indexer.EmbedPending(embedder).Embedded);
        Assert.Equal(0, indexer.EmbedPending(embedder).Embedded);

        File.WriteAllText(bib, TwoPapers.Replace("dense vectors", "sparse and dense vectors").Replace("year = 2021", "year = 2019"));
        indexer.Sync([bib], _ => { });
        Assert.Equal(1, indexer.EmbedPending(embedder).Embedded); // the year change keeps the text, so no new vector
        var stats = store.Stats(embedder.ModelId);
        Assert.Equal((2L, 2L, 0L), (stats.Papers, stats.Embedded, stats.Pending));
    }

    [Fact]
    public void A_malformed_entry_is_reported_and_the_rest_is_indexed()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", TwoPapers.Replace("@inproceedings{lee2021graph,", "@article{broken,\n  title = {Unclosed\n}\n@inproceedings{lee2021graph,"));
        using var store = PaperStore.Open(dir.Combine("index.db"));
        var (result, problems) = Sync(store, bib);
        Assert.Equal(2, result.Papers);
        var problem = Assert.Single(problems);
        Assert.Equal(bib, problem.Location.File);
        Assert.Equal(7, problem.Location.Line);
    }

    [Fact]
    public void Several_bib_files_and_folders_are_all_read()
    {
        using var dir = new TempDirectory();
        dir.File("a/one.bib", "@article{one, title = {First Paper About Retrieval}, year = 2001}");
        dir.File("a/nested/two.bib", "@article{two, title = {Second Paper About Ranking}, year = 2002}");
        var three = dir.File("three.bib", "@article{three, title = {Third Paper About Citations}, year = 2003}");
        using var store = PaperStore.Open(dir.Combine("index.db"));
        Assert.Equal(3, Sync(store, dir.Combine("a"), three).Result.Papers);
        Assert.NotNull(store.GetByKey("two"));
    }

    [Fact]
    public void Staleness_follows_file_changes()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs.bib", TwoPapers);
        using var store = PaperStore.Open(dir.Combine("index.db"));
        var indexer = new Indexer(store);
        Assert.True(indexer.IsStale([bib]));
        indexer.Sync([bib], _ => { });
        Assert.False(indexer.IsStale([bib]));
        File.AppendAllText(bib, "\n@misc{x, title = {Another Paper}}\n");
        File.SetLastWriteTimeUtc(bib, DateTime.UtcNow.AddMinutes(1));
        Assert.True(indexer.IsStale([bib]));
    }
}
