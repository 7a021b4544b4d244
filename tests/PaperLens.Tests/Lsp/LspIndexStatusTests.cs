using System.Text;
using System.Text.RegularExpressions;

namespace PaperLens.Tests.Lsp;

/// <summary>paperlens/indexStatus and the progress text tell one set of counts, the one completion serves, in every phase.</summary>
public class LspIndexStatusTests
{
    [Fact]
    public async Task Counts_agree_with_the_progress_text_and_with_what_completion_serves()
    {
        var bib = new StringBuilder();
        for (int i = 0; i < 12_000; i++) bib.Append($"@article{{p{i}, title = {{Paper number {i} on retrieval}}, year = 2020}}\n");
        var fixture = Fixture.Parse("%! notes.md\nRetrieval [@|");
        await using var client = LspTestClient.InProcess(fixture);
        client.Folder.File("corpus/big.bib", bib.ToString());
        await client.InitializeAsync(new { corpus = new { paths = new[] { client.Folder.Combine("corpus") } }, index = new { path = client.Folder.Combine(".index", "index.db") } });
        await Task.Delay(300); // the last notifications

        var updates = client.StatusUpdates.ToList();
        var lexical = updates.Where(u => u.Message?.StartsWith("indexing ") == true).ToList();
        Assert.NotEmpty(lexical);
        foreach (var u in lexical)
        {
            var m = Regex.Match(u.Message!, @"^indexing (\d+)/(\d+) papers$");
            Assert.True(m.Success, u.Message);
            Assert.True(u.Papers >= long.Parse(m.Groups[1].Value), $"{u.Papers} papers while '{u.Message}'");
        }
        Assert.Equal(12_000, lexical[^1].Papers);
        foreach (var u in updates.Where(u => u.Message?.StartsWith("embedding ") == true))
        {
            var m = Regex.Match(u.Message!, @"^embedding (\d+)/(\d+) papers$");
            Assert.True(m.Success, u.Message);
            Assert.Equal(u.Embedded, long.Parse(m.Groups[1].Value));
            Assert.Equal(u.Papers, long.Parse(m.Groups[2].Value));
        }
        Assert.Equal(12_000, updates[^1].Papers);
    }
}
