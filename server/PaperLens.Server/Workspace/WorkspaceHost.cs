using System.Collections.Immutable;
using PaperLens.Core;
using PaperLens.Embedding;
using PaperLens.Features;
using PaperLens.Features.Bib;
using PaperLens.Index;
using PaperLens.Sources;
using Serilog;

namespace PaperLens.Server.Workspace;

/// <summary>
/// The single writer of the workspace state. Every change (a document edit, a file event, new settings, indexing
/// progress) makes a new immutable <see cref="WorkspaceSnapshot"/>; requests read the snapshot current when they start.
/// Indexing runs in the background and never blocks a request.
/// </summary>
public sealed class WorkspaceHost : IDisposable
{
    /// <summary>How many drafts, bibliographies and possible sources the workspace scan takes; past it, it says so once.</summary>
    public int MaxScannedFiles { get; set; } = 20_000;
    private const long MaxDraftBytes = 20 * 1024 * 1024;

    private readonly Lock _write = new();
    private readonly Func<string?, bool, IEmbedder?> _loadEmbedder;
    private WorkspaceSnapshot _snapshot;
    private CancellationTokenSource _indexing = new();
    private Task _indexTask = Task.CompletedTask;
    private IEmbedder? _embedder;
    private string? _embedderPath;
    private bool _embedderFp32;
    private Timer? _reindexTimer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _oversized = new(WorkspaceSnapshot.PathComparer);

    private readonly SourceWatcher _watcher;
    private readonly BackgroundRanker? _ranker;
    private IReadOnlyList<string> _corpusProblems = [];
    private IReadOnlyList<string> _noticedCorpusProblems = [];
    /// <summary>Files drafts name (\bibliography{}, bibliography:) already read and watched, so a keystroke costs a lookup.</summary>
    private ImmutableHashSet<string> _namedFiles = ImmutableHashSet.Create<string>(WorkspaceSnapshot.PathComparer);
    /// <summary>Lines for the idle status: the scan limit reached, semantic ranking off.</summary>
    private string? _scanLimitNote;
    private string? _rankingNote;
    private string? _noticedRankingProblem;

    /// <param name="loadEmbedder">Loads the model of a folder (null: the default), in fp32 when the flag says so.</param>
    public WorkspaceHost(Func<string?, bool, IEmbedder?> loadEmbedder)
    {
        _loadEmbedder = loadEmbedder;
        _watcher = new SourceWatcher(FilesChanged, TimeSpan.FromMilliseconds(500));
        _snapshot = new WorkspaceSnapshot { Catalog = PaperCatalog.Empty() };
        if (BackgroundRanker.EnabledByEnvironment()) _ranker = new BackgroundRanker(() => Snapshot, BackgroundRanker.DefaultDebounce);
    }

    /// <summary>Ranks the paragraph being edited ahead of completion; null when turned off (<see cref="BackgroundRanker.EnvironmentSwitch"/>).</summary>
    public BackgroundRanker? Ranker => _ranker;

    /// <summary>The user is at a place in a draft (null: where it just changed); returns at once.</summary>
    public void EditingAt(string path, LinePosition? at) => _ranker?.Schedule(path, at);

    public WorkspaceSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Raised after every change, outside the write lock.</summary>
    public event Action<WorkspaceSnapshot>? Changed;
    public event Action<IndexStatus>? StatusChanged;
    /// <summary>A source problem found while indexing (file, line, reason).</summary>
    public event Action<SourceProblem>? Problem;
    /// <summary>Something the user must act on, said once (a damaged index, a wrong corpus path).</summary>
    public event Action<string>? Notice;

    /// <summary>The index file found damaged, until Reindex moves it aside.</summary>
    private string? _damagedIndex;

    public void Initialize(IEnumerable<string> folders, WorkspaceSettings settings)
    {
        Update(s => s with { Folders = folders.Select(Path.GetFullPath).Distinct().ToImmutableArray(), Settings = settings });
        RescanFolders();
        Restart(reopenCatalog: true);
    }

    public void UpdateSettings(WorkspaceSettings settings)
    {
        var old = Snapshot.Settings;
        Update(s => s with { Settings = settings });
        if (!old.LatexCiteCommands.SetEquals(settings.LatexCiteCommands)) // re-parse drafts with the new macros
            Update(s => s with { Drafts = s.Drafts.SetItems(s.Drafts.Select(d => KeyValuePair.Create(d.Key, new DraftDocument(d.Key, d.Value.Text, d.Value.Version, settings.LatexCiteCommands)))) });
        bool corpusChanged = !old.CorpusPaths.SequenceEqual(settings.CorpusPaths);
        bool modelChanged = old.ModelPath != settings.ModelPath || old.ModelFullPrecision != settings.ModelFullPrecision;
        if (corpusChanged || old.IndexPath != settings.IndexPath || modelChanged)
            Restart(reopenCatalog: old.IndexPath != settings.IndexPath || modelChanged);
    }

    public void ChangeFolders(IEnumerable<string> added, IEnumerable<string> removed)
    {
        var removedSet = removed.Select(Path.GetFullPath).ToHashSet();
        Update(s => s with { Folders = s.Folders.Where(f => !removedSet.Contains(f)).Concat(added.Select(Path.GetFullPath)).Distinct().ToImmutableArray() });
        RescanFolders();
        Restart(reopenCatalog: Snapshot.Settings.IndexPath is null);
    }

    public void Open(string path, string text, int version)
    {
        Update(s => WithText(s, path, text, version) with { Open = s.Open.Add(path) });
        TakeInNamedBibliographies(path);
    }

    public void Change(string path, int version, Func<string, string> apply)
    {
        Update(s =>
        {
            string current = s.Drafts.TryGetValue(path, out var d) ? d.Text : s.Bibs.TryGetValue(path, out var b) ? b.Text : "";
            return WithText(s, path, apply(current), version);
        });
        TakeInNamedBibliographies(path);
    }

    /// <summary>
    /// A draft names a bibliography not read yet (a draft opened from elsewhere, a \bibliography{} just typed): it is read
    /// now, so its keys are defined at once, indexed in a moment and watched from then on, not on the next run.
    /// </summary>
    private void TakeInNamedBibliographies(string draftPath)
    {
        if (!Snapshot.Drafts.TryGetValue(draftPath, out var draft)) return;
        var fresh = draft.BibliographyPaths.Where(p => !_namedFiles.Contains(p)).ToList();
        if (fresh.Count == 0) return;
        ImmutableInterlocked.Update(ref _namedFiles, known => known.Union(fresh));
        var bibs = fresh.Where(SourceLoader.IsBibliography).ToList();
        if (bibs.Count == 0) return;
        Update(s => WithNamedBibliographies(s, bibs));
        if (bibs.Any(File.Exists)) ScheduleReindex();
        else WatchSources(Snapshot); // polled until it appears
    }

    public void Close(string path) => Update(s =>
    {
        var next = s with { Open = s.Open.Remove(path) };
        return File.Exists(path) ? WithText(next, path, ReadText(path) ?? "", 0) : next with { Drafts = next.Drafts.Remove(path) };
    });

    /// <summary>Files changed on disk: re-read those not open, and re-index when a source changed.</summary>
    public void FilesChanged(IEnumerable<string> paths)
    {
        bool sourcesChanged = false;
        Update(s =>
        {
            foreach (var path in paths)
            {
                bool isBib = IsBib(path);
                sourcesChanged |= isBib || IsCorpusFile(s, path) || s.WorkspaceSources.Contains(path);
                if (!DraftDocument.IsDraft(path) && s.Folders.Any(f => path.StartsWith(f + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                {
                    bool isSource = File.Exists(path) && SourceLoader.IsPaperSource(path);
                    sourcesChanged |= isSource;
                    s = s with { WorkspaceSources = isSource ? s.WorkspaceSources.Add(path) : s.WorkspaceSources.Remove(path) };
                }
                if (s.Open.Contains(path)) continue;
                if (!File.Exists(path))
                    s = s with { Drafts = s.Drafts.Remove(path), Bibs = s.Bibs.Remove(path) };
                else if ((isBib || DraftDocument.IsDraft(path)) && ReadText(path) is { } text)
                    s = WithText(s, path, text, 0); // an unreadable file keeps its previous version
            }
            return s;
        });
        if (sourcesChanged) ScheduleReindex();
    }

    /// <summary>Indexes again; a damaged index file is first moved aside (kept, never deleted) and a new one built.</summary>
    public void Reindex()
    {
        var damaged = Interlocked.Exchange(ref _damagedIndex, null);
        if (damaged is not null) MoveAside(damaged);
        Restart(reopenCatalog: damaged is not null);
    }

    private static void MoveAside(string indexPath)
    {
        var suffix = ".damaged-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var path in new[] { indexPath, indexPath + "-wal", indexPath + "-shm" })
        {
            try { if (File.Exists(path)) File.Move(path, path + suffix); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Log.Error("Cannot move {Path} aside: {Reason}", path, e.Message); }
        }
        Log.Warning("Moved the damaged index {Path} aside to {Copy}", indexPath, indexPath + suffix);
    }

    private void ScheduleReindex()
    {
        _reindexTimer?.Dispose();
        _reindexTimer = new Timer(_ => Restart(reopenCatalog: false), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
    }

    private static bool IsBib(string path) => path.EndsWith(".bib", StringComparison.OrdinalIgnoreCase);

    private static bool IsCorpusFile(WorkspaceSnapshot s, string path) => CorpusPaths(s).Any(c => SourceLoader.Covers(c, path));

    /// <summary>Every bibliography a draft names, whether it exists yet or not.</summary>
    private static IEnumerable<string> NamedBibliographies(WorkspaceSnapshot s) =>
        s.Drafts.Values.SelectMany(d => d.BibliographyPaths).Where(SourceLoader.IsBibliography);

    /// <summary>Watches what the index reads and every bibliography drafts name; returns what the index reads.</summary>
    private IReadOnlyList<string> WatchSources(WorkspaceSnapshot s)
    {
        var corpus = CorpusPaths(s);
        var named = NamedBibliographies(s).ToList();
        ImmutableInterlocked.Update(ref _namedFiles, known => known.Union(named));
        _watcher.Watch(corpus.Concat(named).Distinct(WorkspaceSnapshot.PathComparer));
        return corpus;
    }

    /// <summary>What the index holds: the workspace's bibliographies first (their keys win merges), then the configured corpus.</summary>
    private static IReadOnlyList<string> CorpusPaths(WorkspaceSnapshot s)
    {
        var root = s.Folders.FirstOrDefault() ?? Environment.CurrentDirectory;
        // Ordinal order: dictionary order follows per-process string hashes, and the order decides which key wins a merge.
        var declared = s.Drafts.Values.SelectMany(d => d.BibliographyPaths).Where(p => HasContent(p) && SourceLoader.IsBibliography(p)).Order(StringComparer.Ordinal);
        return s.Bibs.Keys.Where(HasContent).Order(StringComparer.Ordinal).Concat(declared).Concat(s.WorkspaceSources.Where(HasContent))
            .Concat(ConfiguredCorpus(s).Select(c => c.Full))
            .Distinct().ToList();
    }

    /// <summary>The corpus paths of the settings, as written and as full paths (relative to the first folder, ~ expanded).</summary>
    private static IEnumerable<(string Written, string Full)> ConfiguredCorpus(WorkspaceSnapshot s)
    {
        var root = s.Folders.FirstOrDefault() ?? Environment.CurrentDirectory;
        return s.Settings.CorpusPaths.Select(p => (p, Path.GetFullPath(Path.Combine(root, ExpandHome(p)))));
    }

    /// <summary>Each configured corpus path that gives no source file, with the reason.</summary>
    private static IReadOnlyList<string> CorpusProblems(WorkspaceSnapshot s)
    {
        var problems = new List<string>();
        foreach (var (written, full) in ConfiguredCorpus(s))
        {
            string? reason = null;
            if (SourceLoader.Discover([full], p => reason ??= p.Message).Count == 0)
                problems.Add($"corpus path '{written}': {reason ?? "no paper files (.bib, .json, .jsonl, .txt) there"}");
        }
        return problems;
    }

    /// <summary>Wrong corpus paths go into every status, and are shown once each time they change.</summary>
    private void CheckCorpus(WorkspaceSnapshot s)
    {
        var problems = CorpusProblems(s);
        _corpusProblems = problems;
        if (problems.Count == 0 || problems.SequenceEqual(_noticedCorpusProblems)) return;
        _noticedCorpusProblems = problems;
        Notice?.Invoke("PaperLens cannot use some corpus paths (paperlens.corpus.paths): " + string.Join("; ", problems));
    }

    /// <summary>An empty .bib is a new project's state: nothing to index and nothing to warn about.</summary>
    private static bool HasContent(string path)
    {
        try { return new FileInfo(path).Length > 0; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]) : path;

    private static WorkspaceSnapshot WithText(WorkspaceSnapshot s, string path, string text, int version)
    {
        if (IsBib(path)) return s with { Bibs = s.Bibs.SetItem(path, BibDocument.Parse(path, text)) };
        if (DraftDocument.IsDraft(path)) return s with { Drafts = s.Drafts.SetItem(path, new DraftDocument(path, text, version, s.Settings.LatexCiteCommands)) };
        return s;
    }

    private void RescanFolders()
    {
        var files = Snapshot.Folders.SelectMany(EnumerateWorkspaceFiles).Take(MaxScannedFiles + 1).ToList();
        if (files.Count > MaxScannedFiles)
        {
            files.RemoveAt(MaxScannedFiles);
            bool first = _scanLimitNote is null;
            _scanLimitNote = $"the workspace scan stopped at {MaxScannedFiles} files (drafts, .bib, .json, .txt); files after {files[^1]} are not indexed or checked unless opened or named in paperlens.corpus.paths";
            if (first) Problem?.Invoke(new SourceProblem(new SourceLocation(Snapshot.Folders[0], 0), _scanLimitNote));
        }
        else _scanLimitNote = null;
        var sources = files.Where(f => !DraftDocument.IsDraft(f) && SourceLoader.IsPaperSource(f)).ToImmutableHashSet(WorkspaceSnapshot.PathComparer);
        Update(s =>
        {
            s = s with { WorkspaceSources = sources };
            foreach (var file in files.Where(f => IsBib(f) || DraftDocument.IsDraft(f)))
                if (!s.Open.Contains(file) && ReadText(file) is { } text) s = WithText(s, file, text, 0);
            return WithNamedBibliographies(s, s.Drafts.Values.SelectMany(d => d.BibliographyPaths).ToList());
        });
    }

    /// <summary>Reads the .bib files among <paramref name="paths"/> not read yet (drafts name them, in the folders or not).</summary>
    private WorkspaceSnapshot WithNamedBibliographies(WorkspaceSnapshot s, IEnumerable<string> paths)
    {
        foreach (var bib in paths.Where(p => IsBib(p) && File.Exists(p) && !s.Bibs.ContainsKey(p)).ToList())
            if (ReadText(bib) is { } text) s = WithText(s, bib, text, 0);
        return s;
    }

    /// <summary>The drafts, bibliographies and possible paper sources under a folder, found by the CLI's walker (links not followed).</summary>
    private static IEnumerable<string> EnumerateWorkspaceFiles(string folder) =>
        Directory.Exists(folder)
            ? PathExpander.FilesUnder(folder).Where(f => IsBib(f) || DraftDocument.IsDraft(f) || IsSourceCandidate(f))
            : [];

    private static bool IsSourceCandidate(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".json" or ".jsonl" or ".ndjson" or ".txt";

    /// <summary>The text of a draft or .bib for the editor's checks; null when unreadable or over the editor's limit (said once per file).</summary>
    private string? ReadText(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            if (info.Length > MaxDraftBytes)
            {
                if (_oversized.TryAdd(path, 0))
                    Problem?.Invoke(new SourceProblem(new SourceLocation(path, 0),
                        $"{info.Length / (1024 * 1024)} MB: its papers are indexed, but files over {MaxDraftBytes / (1024 * 1024)} MB are not checked in the editor unless opened"));
                return null;
            }
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Warning("Cannot read {Path}: {Reason}", path, e.Message);
            return null;
        }
    }

    private void Update(Func<WorkspaceSnapshot, WorkspaceSnapshot> change)
    {
        WorkspaceSnapshot next;
        lock (_write)
        {
            next = change(_snapshot) with { Version = _snapshot.Version + 1 };
            Volatile.Write(ref _snapshot, next);
        }
        Changed?.Invoke(next);
    }

    private void SetStatus(IndexStatus status)
    {
        status = status with { CorpusProblems = _corpusProblems };
        Update(s => s with { Status = status });
        StatusChanged?.Invoke(status);
    }

    /// <summary>Cancels the running index pass and starts another; with <paramref name="reopenCatalog"/>, on a fresh index file and model.</summary>
    private void Restart(bool reopenCatalog)
    {
        lock (_write)
        {
            _indexing.Cancel();
            _indexing = new CancellationTokenSource();
            var ct = _indexing.Token;
            var previous = _indexTask;
            _indexTask = Task.Run(async () =>
            {
                try { await previous.ConfigureAwait(false); } catch { /* the previous run reported its own failure */ }
                if (ct.IsCancellationRequested) return;
                RunIndexing(reopenCatalog, ct);
            });
        }
    }

    private void RunIndexing(bool reopenCatalog, CancellationToken ct)
    {
        var snapshot = Snapshot;
        string indexPath = IndexPathFor(snapshot);
        try
        {
            if (reopenCatalog) OpenCatalog(snapshot, indexPath);
            SetStatus(Counts(Snapshot.Catalog, "indexing") with { Message = "reading sources" });
            using var store = PaperStore.Open(indexPath);
            var indexer = new Indexer(store);
            CheckCorpus(Snapshot);
            var corpus = WatchSources(Snapshot);
            var sync = indexer.Sync(corpus, p => Problem?.Invoke(p), new ThrottledProgress(p => SetStatus(StatusOf(p, Snapshot.Catalog))), ct);
            Log.Information("Indexed {Papers} papers from {Files} files ({Added} added, {Updated} updated, {Removed} removed)",
                sync.Papers, sync.Files, sync.Added, sync.Updated, sync.Removed);
            var catalog = Snapshot.Catalog;
            // The catalog loaded keys and vectors when it opened: reload them only for what this run changes.
            bool papersChanged = sync.Added + sync.Updated + sync.Removed > 0;
            if (papersChanged) catalog.Refresh(reloadVectors: false);
            catalog.StartLexicalStatistics(); // the papers are settled: the first ranking finds FTS5's statistics read
            var before = Counts(catalog, "embedding");
            SetStatus(before);
            int newVectors = 0;
            // Nothing to embed when no paper changed and every paper has its vector: no scan for pending texts.
            if (_embedder is not null && (papersChanged || before.Pending > 0))
            {
                var lastReload = DateTime.UtcNow;
                // Counts follow from the progress; re-counting the index on every report would hold the catalog's lock.
                newVectors = indexer.EmbedPending(_embedder, new ThrottledProgress(p =>
                {
                    // Only vectors were added since the refresh above: the term caches and statistics stay.
                    if (DateTime.UtcNow - lastReload > TimeSpan.FromSeconds(30)) { catalog.Refresh(reloadVectors: true, papersChanged: false); lastReload = DateTime.UtcNow; }
                    long embedded = Math.Min(before.Papers, before.Embedded + p.Done);
                    SetStatus(before with
                    {
                        Embedded = embedded, Pending = Math.Max(0, before.Pending - p.Done),
                        Message = $"embedding {embedded}/{before.Papers} papers", Percent = PercentOf(new IndexProgress("embedding", embedded, before.Papers)),
                    });
                }), ct).Embedded;
            }
            if (papersChanged || newVectors > 0) catalog.Refresh(reloadVectors: true, papersChanged: false); // the papers were refreshed above
            SetStatus(IdleStatus(catalog));
            BuildGraph(catalog, ct);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) when (e is IndexFormatException or Microsoft.Data.Sqlite.SqliteException)
        {
            Log.Error(e, "Index unusable");
            ReportDamagedIndex(indexPath, e.Message);
        }
        catch (Exception e)
        {
            Log.Error(e, "Indexing failed");
            SetStatus(Snapshot.Status with { State = "error", Message = e.Message });
        }
    }

    /// <summary>Requests go on without the index (from the drafts' own .bib files); the user is told once how to rebuild it.</summary>
    private void ReportDamagedIndex(string indexPath, string reason)
    {
        bool first = Interlocked.Exchange(ref _damagedIndex, indexPath) != indexPath;
        var old = Snapshot.Catalog;
        Update(s => s with { Catalog = PaperCatalog.Empty() });
        _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => old.Dispose());
        var message = $"The PaperLens index {indexPath} cannot be used ({reason.TrimEnd('.')}). "
            + "Run \"PaperLens: Reindex\" (command paperlens.reindex) to move it aside and build a new one.";
        SetStatus(new IndexStatus(0, 0, 0, "error", message));
        if (first) Notice?.Invoke(message);
    }

    private void OpenCatalog(WorkspaceSnapshot snapshot, string indexPath)
    {
        if (_embedder is null || _embedderPath != snapshot.Settings.ModelPath || _embedderFp32 != snapshot.Settings.ModelFullPrecision)
        {
            (_embedderPath, _embedderFp32) = (snapshot.Settings.ModelPath, snapshot.Settings.ModelFullPrecision);
            _embedder = LoadEmbedder(snapshot.Settings.ModelPath, snapshot.Settings.ModelFullPrecision);
        }
        var catalog = new PaperCatalog(PaperStore.Open(indexPath, verify: false), _embedder);
        var old = snapshot.Catalog;
        Update(s => s with { Catalog = catalog });
        // Requests may still hold the old catalog in their snapshots: let them finish first.
        _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => old.Dispose());
    }

    /// <summary>The counts, with what the user should know: files too big to check, the scan limit, ranking by words only.</summary>
    private IndexStatus IdleStatus(PaperCatalog catalog)
    {
        string? oversized = _oversized.IsEmpty ? null : $"{_oversized.Count} file(s) over {MaxDraftBytes / (1024 * 1024)} MB indexed but not checked in the editor";
        var notes = new[] { oversized, _scanLimitNote, _rankingNote }.OfType<string>().ToList();
        var idle = Counts(catalog, "idle");
        return notes.Count == 0 ? idle : idle with { Message = string.Join("; ", notes) };
    }

    /// <summary>
    /// The embedding model, or null when it cannot be loaded (no model files; no ONNX Runtime library for this platform, as on
    /// Intel Macs): papers are then ranked by their words, the status says so and the user is told once why.
    /// </summary>
    private IEmbedder? LoadEmbedder(string? modelPath, bool fullPrecision)
    {
        try
        {
            _rankingNote = null;
            return _loadEmbedder(modelPath, fullPrecision);
        }
        catch (EmbeddingModelException e)
        {
            Log.Warning("Semantic ranking is off: {Reason}", e.Message);
            _rankingNote = "ranking by words only (BM25): the embedding model cannot be loaded";
            if (Interlocked.Exchange(ref _noticedRankingProblem, e.Message) != e.Message) // said once, not on every reopen
                Notice?.Invoke($"PaperLens ranks papers by their words only (BM25), without semantic ranking: {e.Message}");
            return null;
        }
    }

    /// <summary>The counts as the catalog loaded them (no scan of the index).</summary>
    private static IndexStatus Counts(PaperCatalog catalog, string state)
    {
        var (papers, embedded) = catalog.Counts;
        embedded = Math.Min(papers, embedded);
        return new IndexStatus(papers, embedded, papers - embedded, state);
    }

    /// <summary>The dense search's graph of a large corpus, built after indexing when missing or behind; a failure leaves the scan.</summary>
    private static void BuildGraph(PaperCatalog catalog, CancellationToken ct)
    {
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (catalog.EnsureGraph(ct)) Log.Information("Built the vector graph of {Papers} papers in {Seconds:F0} s", catalog.Count, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is VectorGraphException or IOException or UnauthorizedAccessException)
        {
            Log.Warning("No vector graph, the dense search scans: {Reason}", e.Message);
        }
    }

    /// <summary>
    /// Lexical progress. Papers is what completion serves now: each committed batch is picked up by the catalog at once,
    /// so the count and the suggestions agree throughout.
    /// </summary>
    private IndexStatus StatusOf(IndexProgress p, PaperCatalog catalog)
    {
        if (p.Phase != "reading") catalog.Refresh(reloadVectors: false);
        long papers = catalog.Count, embedded = Math.Min(papers, Snapshot.Status.Embedded);
        var unit = p.Phase == "reading" ? "files" : "papers";
        return new IndexStatus(papers, embedded, papers - embedded, "indexing", $"{p.Phase} {p.Done}/{p.Total} {unit}", PercentOf(p));
    }

    private static int PercentOf(IndexProgress p) => p.Total == 0 ? 100 : (int)(100 * p.Done / p.Total);

    /// <summary>The index file: the setting, else one per set of workspace folders in the cache folder.</summary>
    public static string IndexPathFor(WorkspaceSnapshot s)
    {
        if (!string.IsNullOrWhiteSpace(s.Settings.IndexPath)) return Path.GetFullPath(ExpandHome(s.Settings.IndexPath));
        var id = PaperHashes.Hash(string.Join("\n", s.Folders.Order(StringComparer.Ordinal)))[..16];
        return Path.Combine(AppPaths.CacheDirectory, "workspaces", id + ".db");
    }

    public void Dispose()
    {
        _indexing.Cancel();
        try { _indexTask.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _reindexTimer?.Dispose();
        _ranker?.Dispose();
        _watcher.Dispose();
        Snapshot.Catalog.Dispose();
        _embedder?.Dispose();
    }

    /// <summary>Reports at most every 250 ms, and always the last step.</summary>
    private sealed class ThrottledProgress(Action<IndexProgress> report) : IProgress<IndexProgress>
    {
        private long _last;

        public void Report(IndexProgress value)
        {
            long now = Environment.TickCount64;
            if (value.Done < value.Total && now - _last < 250) return;
            _last = now;
            report(value);
        }
    }
}
