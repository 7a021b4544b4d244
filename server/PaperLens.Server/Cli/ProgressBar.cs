using System.Diagnostics;
using PaperLens.Index;

namespace PaperLens.Server.Cli;

/// <summary>
/// One line per phase on stderr: on a terminal a live bar with counts, rate and ETA that ends as the phase's summary;
/// when stderr is redirected, only the summary line, written when the phase ends.
/// </summary>
public sealed class ProgressBar : IProgress<IndexProgress>, IDisposable
{
    private const int Width = 28;
    private readonly bool _live = !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = new();
    private IndexProgress? _last;
    private long _lastDraw = -1000;

    /// <summary>A phase without counts ("loading the embedding model"): one line at once.</summary>
    public static void Phase(string message) => Console.Error.WriteLine(message);

    public void Report(IndexProgress value)
    {
        if (value.Phase != _last?.Phase) { Finish(); _clock.Restart(); _lastDraw = -1000; }
        _last = value;
        if (!_live) return;
        long now = _clock.ElapsedMilliseconds;
        if (now - _lastDraw < 100 && value.Done < value.Total) return;
        _lastDraw = now;
        double rate = value.Done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        string eta = rate > 0 && value.Total > value.Done ? TimeSpan.FromSeconds((value.Total - value.Done) / rate).ToString(@"h\:mm\:ss") : "-";
        int filled = value.Total == 0 ? Width : (int)(Width * value.Done / value.Total);
        Console.Error.Write($"\r{value.Phase,-10} [{new string('#', filled)}{new string('.', Width - filled)}] {value.Done}/{value.Total}  {rate:F1}/s  ETA {eta}   ");
    }

    /// <summary>Ends the current phase's line with its count and time.</summary>
    private void Finish()
    {
        if (_last is not { } last) return;
        string summary = $"{last.Phase,-10} {last.Done}/{last.Total} in {_clock.Elapsed.TotalSeconds:F1} s";
        Console.Error.WriteLine(_live ? $"\r{summary}{new string(' ', Width + 30)}" : summary);
        _last = null;
    }

    public void Dispose() => Finish();
}
