using PaperLens.Sources;
using Serilog;

namespace PaperLens.Server.Workspace;

/// <summary>
/// Watches what the index reads, inside the workspace or not (a Zotero export in ~/Zotero, a corpus folder), so a file
/// rewritten by another program is picked up without the client's help. Folders use FileSystemWatcher, and fall back to
/// polling when it fails (network and WSL folders, inotify limits); single files are always polled too, which is one stat
/// each. A change is reported only once the file has stopped changing for one interval, so a half-written export is never read.
/// </summary>
public sealed class SourceWatcher : IDisposable
{
    private const int FolderPollTicks = 5;
    private readonly Action<IReadOnlyList<string>> _changed;
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _polledFolders = new(StringComparer.Ordinal);
    private Dictionary<string, FileStamp> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStamp> _settling = new(StringComparer.Ordinal);
    private int _ticks;

    private readonly record struct FileStamp(long Length, DateTime WriteUtc)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new(info.Length, info.LastWriteTimeUtc) : new(-1, default);
        }
    }

    public SourceWatcher(Action<IReadOnlyList<string>> changed, TimeSpan interval)
    {
        _changed = changed;
        _timer = new Timer(_ => Tick(), null, interval, interval);
    }

    /// <summary>Replaces what is watched: corpus paths (files, folders or globs) and the bibliography files drafts name.</summary>
    public void Watch(IEnumerable<string> paths)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (PathExpander.IsGlob(path)) folders.Add(PathExpander.RootOf(path));
            else if (Directory.Exists(path)) folders.Add(Path.GetFullPath(path));
            else files.Add(Path.GetFullPath(path)); // a missing file is polled until it appears
        }
        lock (_lock)
        {
            foreach (var gone in _watchers.Keys.Where(f => !folders.Contains(f)).ToList()) { _watchers[gone].Dispose(); _watchers.Remove(gone); }
            _polledFolders.IntersectWith(folders);
            foreach (var folder in folders.Where(f => !_watchers.ContainsKey(f) && !_polledFolders.Contains(f))) StartWatcher(folder);
            var seen = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
            foreach (var file in files.Concat(_polledFolders.SelectMany(PathExpander.FilesUnder).Where(IsSourceFile)))
                seen[file] = _seen.TryGetValue(file, out var stamp) ? stamp : FileStamp.Of(file);
            _seen = seen;
        }
    }

    private void StartWatcher(string folder)
    {
        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Changed += (_, e) => Touch(e.FullPath);
            watcher.Created += (_, e) => Touch(e.FullPath);
            watcher.Deleted += (_, e) => Touch(e.FullPath);
            watcher.Renamed += (_, e) => { Touch(e.OldFullPath); Touch(e.FullPath); };
            watcher.Error += (_, e) => FallBackToPolling(folder, e.GetException().Message);
            watcher.EnableRaisingEvents = true;
            _watchers[folder] = watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            Log.Information("Polling {Folder}: {Reason}", folder, e.Message);
            _polledFolders.Add(folder);
        }
    }

    private void FallBackToPolling(string folder, string reason)
    {
        Log.Information("File events for {Folder} failed ({Reason}); polling it instead", folder, reason);
        lock (_lock)
        {
            if (_watchers.Remove(folder, out var watcher)) watcher.Dispose();
            _polledFolders.Add(folder);
        }
    }

    /// <summary>A file event: the file settles before it is reported. Only source files count (not the index's own writes).</summary>
    private void Touch(string path)
    {
        lock (_lock)
            if (_seen.ContainsKey(path) || IsSourceFile(path)) _settling[path] = FileStamp.Of(path);
    }

    private static bool IsSourceFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".bib" or ".bibtex" or ".json" or ".jsonl" or ".ndjson" or ".txt";

    private void Tick()
    {
        var ready = new List<string>();
        lock (_lock)
        {
            bool scanFolders = ++_ticks % FolderPollTicks == 0;
            if (scanFolders)
                foreach (var file in _polledFolders.SelectMany(PathExpander.FilesUnder).Where(IsSourceFile)) _seen.TryAdd(file, new FileStamp(-1, default));
            var settled = _settling.ToList(); // what was already settling before this tick; a change seen now waits a tick
            foreach (var (file, stamp) in _seen.ToList())
            {
                var now = FileStamp.Of(file);
                if (now != stamp && !_settling.ContainsKey(file)) _settling[file] = now;
            }
            foreach (var (file, stamp) in settled)
            {
                var now = FileStamp.Of(file);
                if (now != stamp) { _settling[file] = now; continue; } // still being written
                _settling.Remove(file);
                if (_seen.ContainsKey(file)) _seen[file] = now;
                ready.Add(file);
            }
        }
        if (ready.Count == 0) return;
        try { _changed(ready); }
        catch (Exception e) { Log.Error(e, "Handling changed sources failed"); }
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_lock)
        {
            foreach (var watcher in _watchers.Values) watcher.Dispose();
            _watchers.Clear();
        }
    }
}
