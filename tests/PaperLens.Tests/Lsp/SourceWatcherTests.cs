using System.Collections.Concurrent;
using PaperLens.Server.Workspace;

namespace PaperLens.Tests.Lsp;

/// <summary>The watcher reports a file only once it has stopped changing, so a half-written export is never read.</summary>
public class SourceWatcherTests
{
    [Fact]
    public async Task A_file_being_written_is_reported_once_it_settles_not_before()
    {
        using var folder = new TempDirectory();
        var library = folder.File("library.bib", "@article{a, title = {A}}\n");
        var reports = new ConcurrentQueue<(DateTime At, string[] Paths)>();
        using var watcher = new SourceWatcher(paths => reports.Enqueue((DateTime.UtcNow, paths.ToArray())), TimeSpan.FromSeconds(1));
        watcher.Watch([library]);

        var writes = new List<DateTime>();
        for (int i = 0; i < 15; i++) // a slow export: a chunk every 100 ms, never still for a whole interval
        {
            File.AppendAllText(library, $"@article{{e{i}, title = {{Entry {i}}}}}\n");
            writes.Add(DateTime.UtcNow);
            await Task.Delay(100);
        }
        for (int i = 0; i < 50 && !reports.Any(r => r.At >= writes[^1]); i++) await Task.Delay(100);

        // A loaded machine can stall the writer past the interval: the file did settle then, and a report is right. What
        // must never happen is a report before the file was still for (nearly) a whole interval.
        Assert.NotEmpty(reports);
        foreach (var (at, paths) in reports)
        {
            Assert.Equal([library], paths);
            var lastBefore = writes.Where(w => w <= at).DefaultIfEmpty(DateTime.MinValue).Max();
            Assert.True(at - lastBefore >= TimeSpan.FromMilliseconds(900), $"reported {(at - lastBefore).TotalMilliseconds:F0} ms after a write, while the file was still being written");
        }
        Assert.Contains(reports, r => r.At >= writes[^1]);
    }
}
