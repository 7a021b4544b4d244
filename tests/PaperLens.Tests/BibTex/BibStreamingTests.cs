using System.Diagnostics;
using PaperLens.Sources.BibTex;
using Xunit.Abstractions;

namespace PaperLens.Tests.BibTex;

[Collection(MemoryMeasuringCollection.Name)]
public class BibStreamingTests(ITestOutputHelper output)
{
    [Fact]
    public void A_50_MB_file_parses_entry_by_entry_with_bounded_memory()
    {
        const int count = 100_000;
        string path = Path.Combine(Path.GetTempPath(), $"paperlens-stream-{Guid.NewGuid():N}.bib");
        try
        {
            WriteBib(path, count);
            long fileSize = new FileInfo(path).Length;
            Assert.True(fileSize > 45_000_000, $"generated file is only {fileSize} bytes");

            GC.Collect();
            long before = GC.GetTotalMemory(forceFullCollection: true);
            long peakHeap = 0;
            int papers = 0;
            var problems = new List<string>();
            var clock = Stopwatch.StartNew();
            using (var reader = new StreamReader(path))
            {
                foreach (var paper in new BibTexReader().Read(path, reader, p => problems.Add(p.ToString())))
                {
                    papers++;
                    if (papers % 10_000 == 0) peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: true) - before);
                }
            }
            output.WriteLine($"{papers} papers from {fileSize / 1e6:F1} MB in {clock.Elapsed.TotalSeconds:F2} s; peak heap growth {peakHeap / 1e6:F1} MB");

            Assert.Empty(problems);
            Assert.Equal(count, papers);
            // Only a sanity check: loading the whole file into memory would take about twice its size.
            Assert.True(peakHeap < fileSize / 2, $"heap grew by {peakHeap} bytes for a {fileSize} byte file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void WriteBib(string path, int count)
    {
        using var writer = new StreamWriter(path);
        string filler = string.Concat(Enumerable.Repeat("We study {retrieval} with M{\\\"u}ller's method -- and more. ", 6));
        for (int i = 0; i < count; i++)
        {
            writer.Write($"@inproceedings{{key{i},\n  author = {{Doe, Jane and B\\'{{e}}atrice Daille}},\n  title = {{Paper number {i}}},\n");
            writer.Write($"  year = {{{2000 + i % 25}}},\n  booktitle = {{Proc. Conf}},\n  abstract = {{{filler}}}\n}}\n\n");
        }
    }
}
