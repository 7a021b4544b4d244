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

        DateTime lastWrite = default;
        for (int i = 0; i < 15; i++) // a slow export: a chunk every 100 ms, never still for a whole interval
        {
            File.AppendAllText(library, $"@article{{e{i}, title = {{Entry {i}}}}}\n");
            lastWrite = DateTime.UtcNow;
            await Task.Delay(100);
        }
        for (int i = 0; i < 50 && reports.IsEmpty; i++) await Task.Delay(100);

        var (at, paths) = Assert.Single(reports);
        Assert.Equal([library], paths);
        Assert.True(at >= lastWrite, "reported while the file was still being written");
    }
}
