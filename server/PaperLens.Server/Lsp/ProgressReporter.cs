using PaperLens.Core;
using PaperLens.Features;
using PaperLens.Server.Lsp.Handlers;
using PaperLens.Server.Lsp.Protocol;

namespace PaperLens.Server.Lsp;

/// <summary>
/// Indexing progress through window/workDoneProgress and paperlens/indexStatusChanged; source problems through
/// window/logMessage; what the user must act on through window/showMessage.
/// </summary>
public sealed class ProgressReporter : IDisposable
{
    private const int MaxProblemsLogged = 200;
    private readonly LspContext _context;
    private readonly Lock _lock = new();
    private string? _token;
    private int _problems;

    public ProgressReporter(LspContext context)
    {
        _context = context;
        context.Workspace.StatusChanged += OnStatus;
        context.Workspace.Problem += OnProblem;
        context.Workspace.Notice += OnNotice;
    }

    private void OnNotice(string message)
    {
        Serilog.Log.Warning("{Notice}", message);
        _ = _context.NotifyAsync("window/showMessage", new ShowMessageParams(1, message));
    }

    private void OnStatus(IndexStatus status)
    {
        if (!_context.Initialized) return;
        _ = _context.NotifyAsync(PaperLensNotifications.IndexStatusChanged, IndexStatusHandler.Convert(status));
        if (!_context.ClientSupports("window", "workDoneProgress")) return;
        lock (_lock)
        {
            int? percent = status.Percent;
            if (status.IsIndexing && _token is null)
            {
                _token = "paperlens-index-" + Guid.NewGuid().ToString("N")[..8];
                _problems = 0;
                var token = _token;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await _context.Rpc.InvokeWithParameterObjectAsync("window/workDoneProgress/create", new WorkDoneProgressCreateParams(token));
                        await _context.NotifyAsync("$/progress", new ProgressParams(token, new WorkDoneProgressBegin("PaperLens: indexing", status.Message, percent)));
                    }
                    catch (Exception e) { Serilog.Log.Debug(e, "Progress not shown"); }
                });
            }
            else if (status.IsIndexing && _token is not null)
                _ = _context.NotifyAsync("$/progress", new ProgressParams(_token, new WorkDoneProgressReport(status.Message, percent)));
            else if (_token is not null)
            {
                _ = _context.NotifyAsync("$/progress", new ProgressParams(_token, new WorkDoneProgressEnd($"{status.Papers} papers, {status.Embedded} embedded")));
                _token = null;
            }
        }
    }

    private void OnProblem(SourceProblem problem)
    {
        int n = Interlocked.Increment(ref _problems);
        if (n <= MaxProblemsLogged) _context.Log(2, problem.ToString());
        else if (n == MaxProblemsLogged + 1) _context.Log(2, $"More source problems; see the log file in {AppPaths.LogDirectory}");
        Serilog.Log.Warning("{Problem}", problem.ToString());
    }

    public void Dispose()
    {
        _context.Workspace.StatusChanged -= OnStatus;
        _context.Workspace.Problem -= OnProblem;
        _context.Workspace.Notice -= OnNotice;
    }
}
