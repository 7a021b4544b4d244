using System.Text.Json;
using PaperLens.Features;
using PaperLens.Features.Diagnostics;
using PaperLens.Server.Lsp.Protocol;

namespace PaperLens.Server.Lsp;

/// <summary>Publishes diagnostics for open drafts and all bibliographies, debounced after changes; sends only what changed.</summary>
public sealed class DiagnosticsPublisher : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);
    private readonly LspContext _context;
    private readonly Timer _timer;
    private readonly Dictionary<string, string> _published = new();
    private readonly Lock _lock = new();

    public DiagnosticsPublisher(LspContext context)
    {
        _context = context;
        _timer = new Timer(_ => Publish(), null, Timeout.Infinite, Timeout.Infinite);
        context.Workspace.Changed += OnChanged;
    }

    private object? _lastDrafts, _lastBibs, _lastOpen, _lastState;

    /// <summary>Reschedules when documents or the indexing state change: progress reports alone must not keep postponing diagnostics.</summary>
    private void OnChanged(WorkspaceSnapshot snapshot)
    {
        if (ReferenceEquals(snapshot.Drafts, _lastDrafts) && ReferenceEquals(snapshot.Bibs, _lastBibs) && ReferenceEquals(snapshot.Open, _lastOpen)
            && Equals(snapshot.Status.State, _lastState)) return;
        (_lastDrafts, _lastBibs, _lastOpen, _lastState) = (snapshot.Drafts, snapshot.Bibs, snapshot.Open, snapshot.Status.State);
        _timer.Change(Debounce, Timeout.InfiniteTimeSpan);
    }

    private void Publish()
    {
        if (!_context.Initialized) return;
        lock (_lock)
        {
            try
            {
                var snapshot = _context.Workspace.Snapshot;
                var byPath = new Dictionary<string, IReadOnlyList<FileProblem>>();
                foreach (var path in snapshot.Open.Where(snapshot.Drafts.ContainsKey))
                    byPath[path] = DraftDiagnostics.ForDraft(snapshot, snapshot.Drafts[path]);
                foreach (var (path, problems) in DraftDiagnostics.ForBibs(snapshot))
                    byPath[path] = problems;
                foreach (var path in _published.Keys.Where(p => !byPath.ContainsKey(p)).ToList())
                    byPath[path] = []; // closed or gone: clear
                foreach (var (path, problems) in byPath)
                {
                    var diagnostics = problems.Select(p => new Diagnostic(LspConvert.ToLsp(p.Range), p.Message, LspConvert.ToLsp(p.Severity), p.Code)).ToArray();
                    var json = JsonSerializer.Serialize(diagnostics, LspJson.Options);
                    if (_published.TryGetValue(path, out var last) && last == json) continue;
                    if (diagnostics.Length == 0) _published.Remove(path); else _published[path] = json;
                    _ = _context.NotifyAsync("textDocument/publishDiagnostics", new PublishDiagnosticsParams(LspConvert.ToUri(path), diagnostics));
                }
            }
            catch (Exception e)
            {
                Serilog.Log.Warning(e, "Diagnostics failed");
            }
        }
    }

    public void Dispose()
    {
        _context.Workspace.Changed -= OnChanged;
        _timer.Dispose();
    }
}
