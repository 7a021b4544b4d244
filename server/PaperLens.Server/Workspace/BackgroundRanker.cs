using System.Threading.Channels;
using PaperLens.Core;
using PaperLens.Features;
using PaperLens.Features.Bib;
using PaperLens.Features.Ranking;
using Serilog;

namespace PaperLens.Server.Workspace;

/// <summary>
/// Ranks the paragraph being edited before the user asks, so that a completion typed there finds the ranking in
/// <see cref="CitationRanker.Rank"/>'s cache. Edits only say where the user is typing (<see cref="Schedule"/> never
/// blocks); a watcher works out the query there on the current snapshot and, once that query stayed the same for the
/// debounce (at once when the edit leaves the cursor in a citation just opened: completion asks next), one low-priority job
/// ranks it. A different query cancels the job for the old one (its SQLite statement is interrupted); one that ranks the
/// same (a trailing space, an empty <c>\cite{</c> or <c>[@</c>) leaves it running. Every new query also starts, at once,
/// a prefetch of what its lexical lists need from the index (<see cref="CitationRanker.Prefetch"/>: the new word's terms),
/// so the ranking after the debounce finds the lexical work done. Nothing here writes workspace state.
/// </summary>
public sealed class BackgroundRanker : IDisposable
{
    /// <summary>
    /// Keys come 100–200 ms apart when typing; the pause before a citation is longer. 200 ms skips the ranks of words
    /// still being typed and leaves about as long again to rank before `\cite{` is typed.
    /// </summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(200);

    /// <summary>Set to 0 to turn background ranking off (for measuring; documented in README.md).</summary>
    public const string EnvironmentSwitch = "PAPERLENS_BACKGROUND_RANKING";

    public delegate void RankJob(WorkspaceSnapshot snapshot, CitationQuery query, IReadOnlyList<BibDocument> bibs, CancellationToken ct);
    public delegate void PrefetchJob(WorkspaceSnapshot snapshot, CitationQuery query, CancellationToken ct);

    private sealed record Request(string Path, LinePosition? At);
    /// <summary>A query waiting out its debounce; <paramref name="Citing"/>: the cursor is in a citation just opened, so it is due at once.</summary>
    private sealed record Pending(string Key, WorkspaceSnapshot Snapshot, CitationQuery Query, IReadOnlyList<BibDocument> Bibs, long Due, bool Citing);
    private sealed record Job(string Key, Task Task, CancellationTokenSource Cts);

    private readonly Func<WorkspaceSnapshot> _snapshot;
    private readonly TimeSpan _debounce;
    private readonly RankJob _rank;
    private readonly PrefetchJob _prefetch;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    // Owned by the watcher loop alone.
    private readonly Dictionary<string, string> _seenText = new(WorkspaceSnapshot.PathComparer);
    private volatile Pending? _pending;
    private volatile Job? _job;
    private volatile Task? _prefetching;
    private long _scheduled, _handled, _completed, _prefetched;

    public BackgroundRanker(Func<WorkspaceSnapshot> snapshot, TimeSpan debounce, RankJob? rank = null, PrefetchJob? prefetch = null)
    {
        _snapshot = snapshot;
        _debounce = debounce;
        _rank = rank ?? ((s, q, bibs, ct) => CitationRanker.Rank(s, q, bibs, ct: ct));
        _prefetch = prefetch ?? ((s, q, ct) => CitationRanker.Prefetch(s, q, ct));
        _loop = Task.Run(WatchAsync);
    }

    /// <summary>Off when <see cref="EnvironmentSwitch"/> is 0 or false.</summary>
    public static bool EnabledByEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentSwitch)?.Trim().ToLowerInvariant() is not ("0" or "false" or "off");

    /// <summary>The user is at <paramref name="at"/> in a draft; null: somewhere in what changed since the last call.</summary>
    public void Schedule(string path, LinePosition? at)
    {
        Interlocked.Increment(ref _scheduled);
        _requests.Writer.TryWrite(new Request(path, at));
    }

    /// <summary>Prefetches that ran to the end.</summary>
    public long Prefetched => Interlocked.Read(ref _prefetched);

    /// <summary>Jobs that ranked to the end (not cancelled).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Every request looked at and nothing waiting out the debounce; a job may be running (for tests).</summary>
    public bool IsSettled => Interlocked.Read(ref _handled) == Interlocked.Read(ref _scheduled) && _pending is null;

    /// <summary>Settled, and no job running.</summary>
    public bool IsIdle => IsSettled && !Busy;

    /// <summary>A ranking or a prefetch is running: the next job waits for it (one at a time).</summary>
    private bool Busy => Ranking || _prefetching is { IsCompleted: false };

    private bool Ranking => _job is { Task.IsCompleted: false };

    private async Task WatchAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            bool woken;
            try { woken = await WaitAsync(stop).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            try
            {
                if (woken) Look();
                // One job at a time (the stale one is stopping); a citation just opened does not wait for a prefetch, which reads what it needs.
                else if (Ranking || (Busy && !_pending!.Citing)) _pending = _pending! with { Due = Environment.TickCount64 + 20 };
                else { Start(_pending!); _pending = null; }
            }
            catch (Exception e) { Log.Warning(e, "Background ranking skipped a change"); } // never the end of the loop
        }
    }

    /// <summary>True when a request came; false when the pending query's debounce ran out.</summary>
    private async Task<bool> WaitAsync(CancellationToken stop)
    {
        if (_pending is null)
            return await _requests.Reader.WaitToReadAsync(stop).ConfigureAwait(false) ? true : throw new OperationCanceledException(); // closed
        long wait = _pending.Due - Environment.TickCount64;
        if (wait <= 0) return Interlocked.Read(ref _scheduled) > Interlocked.Read(ref _handled);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(wait));
        try { return await _requests.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested) { return false; }
    }

    /// <summary>Works out the query where the user is; a new one cancels the stale job and waits out the debounce.</summary>
    private void Look()
    {
        Request? latest = null;
        int taken = 0;
        while (_requests.Reader.TryRead(out var r))
        {
            latest = r;
            taken++;
        }
        try
        {
            if (latest is null) return;
            var snapshot = _snapshot();
            if (!snapshot.Drafts.TryGetValue(latest.Path, out var draft)) return;
            var at = latest.At is { } given ? Clamp(draft, given) : Typed(draft);
            _seenText[draft.Path] = draft.Text;
            var query = CitationQuery.At(draft, at);
            if (string.IsNullOrWhiteSpace(query.Paragraph)) { Cancel(); return; }
            var bibs = snapshot.BibsFor(draft);
            string key = CitationRanker.CacheKeyFor(snapshot, query, bibs);
            // `\cite{` or `[@` just typed: completion asks next, so rank now rather than after the debounce.
            bool citing = draft.SiteAt(draft.Lines.OffsetOf(at)) is { Prefix.Length: 0 };
            long now = Environment.TickCount64;
            if (key == _pending?.Key)
            {
                if (citing) _pending = _pending with { Due = now, Citing = true }; // the same query: its debounce runs on, unless a citation opened
                return;
            }
            if (key == _job?.Key && !_job.Task.IsCanceled) { _pending = null; return; } // being ranked, or ranked
            Cancel();
            _pending = new Pending(key, snapshot, query, bibs, citing ? now : now + (long)_debounce.TotalMilliseconds, citing);
            // Every word typed: read ahead what its ranking will need (new terms only), unless the last word's read is still running
            // or the ranking starts now anyway.
            if (!Busy && !citing) _prefetching = OnThread(ct => { _prefetch(snapshot, query, ct); Interlocked.Increment(ref _prefetched); }, _stop.Token, "prefetch");
        }
        finally { Interlocked.Add(ref _handled, taken); }
    }

    /// <summary>The paragraph changed: the running job is stale, and so is a pending one.</summary>
    private void Cancel()
    {
        _pending = null;
        _job?.Cts.Cancel();
    }

    private void Start(Pending p)
    {
        var cts = new CancellationTokenSource(); // cancelled by Cancel and Dispose; no timer, nothing to dispose
        _job = new Job(p.Key, OnThread(ct =>
        {
            _rank(p.Snapshot, p.Query, p.Bibs, ct);
            Interlocked.Increment(ref _completed);
        }, cts.Token, "ranking"), cts);
    }

    /// <summary>Runs work on its own thread below normal priority (requests and the writer come first); cancelled: a cancelled task.</summary>
    private static Task OnThread(Action<CancellationToken> work, CancellationToken ct, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                work(ct);
                done.SetResult();
            }
            catch (OperationCanceledException) { done.SetCanceled(); }
            catch (Exception e)
            {
                Log.Debug(e, "Background {What} failed", what); // the request that needs it will rank and say why
                done.SetResult();
            }
        }) { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = "PaperLens background " + what };
        thread.Start();
        return done.Task;
    }

    /// <summary>Where the text changed since the last look: the end of the changed stretch (the end when appending).</summary>
    private LinePosition Typed(DraftDocument draft)
    {
        string now = draft.Text;
        if (!_seenText.TryGetValue(draft.Path, out var before) || before == now) return draft.Lines.End;
        int suffix = 0, max = Math.Min(now.Length, before.Length);
        while (suffix < max && now[now.Length - 1 - suffix] == before[before.Length - 1 - suffix]) suffix++;
        return draft.Lines.PositionOf(now.Length - suffix);
    }

    private static LinePosition Clamp(DraftDocument draft, LinePosition at) =>
        draft.Lines.PositionOf(Math.Clamp(draft.Lines.OffsetOf(at), 0, draft.Text.Length));

    public void Dispose()
    {
        _stop.Cancel();
        _requests.Writer.TryComplete();
        _job?.Cts.Cancel();
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
