using System.Diagnostics;
using System.Text;
using PaperLens.Core;
using PaperLens.Sources;
using Xunit.Abstractions;

namespace PaperLens.Tests.Sources;

[Collection(MemoryMeasuringCollection.Name)]
public class LargeFileTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Large")]
    public void ArxivJsonl200MB_StreamsWithBoundedMemory()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "arxiv-metadata-oai-snapshot.json");
        long records = WriteSyntheticSnapshot(path, targetBytes: 200L * 1024 * 1024);

        var problems = new List<SourceProblem>();
        var file = Assert.Single(SourceLoader.Discover([path], problems.Add));
        Assert.Equal(SourceFormat.ArxivJsonl, file.Format);

        GC.Collect();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        // Growth, not the absolute working set: the test process also holds the models other tests loaded.
        using var process = Process.GetCurrentProcess();
        long workingSetBefore = process.WorkingSet64, peakWorkingSetGrowth = 0;
        long peakHeap = 0, count = 0, abstractChars = 0;
        var clock = Stopwatch.StartNew();
        foreach (var paper in SourceLoader.Read(file, problems.Add))
        {
            abstractChars += paper.Abstract?.Length ?? 0;
            // Live memory after a full collection: what streaming actually holds, not garbage awaiting collection.
            if (++count % 10_000 == 0)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: true) - heapBefore);
                process.Refresh();
                peakWorkingSetGrowth = Math.Max(peakWorkingSetGrowth, process.WorkingSet64 - workingSetBefore);
            }
        }
        clock.Stop();
        output.WriteLine($"{file.Length / (1024 * 1024)} MB, {count} records in {clock.Elapsed.TotalSeconds:F1} s; peak live heap growth {peakHeap / 1024} KB; working set {workingSetBefore / (1024 * 1024)} MB before, peak growth {peakWorkingSetGrowth / (1024 * 1024)} MB");

        Assert.Empty(problems);
        Assert.Equal(records, count);
        Assert.True(abstractChars > 150L * 1024 * 1024);
        // The file is 200 MB; streaming holds one record and a few buffers at a time.
        Assert.True(peakHeap < 16L * 1024 * 1024, $"live heap grew by {peakHeap / (1024 * 1024)} MB while streaming");
        Assert.True(peakWorkingSetGrowth < 256L * 1024 * 1024, $"working set grew by {peakWorkingSetGrowth / (1024 * 1024)} MB while streaming a 200 MB file");
    }

    /// <summary>Writes snapshot-shaped records (about 2 KB each) until the file reaches the target size; returns the count.</summary>
    private static long WriteSyntheticSnapshot(string path, long targetBytes)
    {
        var words = "graph neural network embedding retrieval transformer attention sparse dense index latent diffusion model".Split(' ');
        var rng = new Random(42);
        var sb = new StringBuilder();
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        long count = 0;
        while (writer.BaseStream.Position < targetBytes)
        {
            sb.Clear();
            for (int i = 0; i < 280; i++) sb.Append(words[rng.Next(words.Length)]).Append(i % 12 == 11 ? "\\n" : " ");
            count++;
            writer.Write($$"""{"id":"{{2000 + count / 100000}}.{{count % 100000:00000}}","submitter":"A. Author","authors":"A. Author and B. Writer","title":"Synthetic record {{count}} on {{words[count % words.Length]}}","comments":null,"journal-ref":null,"doi":null,"categories":"cs.LG","abstract":"  {{sb}}","versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"}],"update_date":"2008-11-13","authors_parsed":[["Author","A.",""],["Writer","B.",""]]}""");
            writer.Write('\n');
        }
        return count;
    }
}
