using System.Diagnostics;
using PaperLens.Index;

namespace PaperLens.Server.Cli;

/// <summary>A one-line progress bar on stderr with counts, rate and ETA; silent when stderr is not a terminal.</summary>
public sealed class ProgressBar : IProgress<IndexProgress>, IDisposable
{
    private readonly bool _enabled = !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = new();
    private string _phase = "";
    private long _lastDraw;
    private bool _drawn;

    public void Report(IndexProgress value)
    {
        if (!_enabled) return;
        if (value.Phase != _phase) { Finish(); _phase = value.Phase; _clock.Restart(); }
        long now = _clock.ElapsedMilliseconds;
        if (now - _lastDraw < 100 && value.Done < value.Total) return;
        _lastDraw = now;
        double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        double rate = value.Done / seconds;
        string eta = rate > 0 && value.Total > value.Done ? TimeSpan.FromSeconds((value.Total - value.Done) / rate).ToString(@"h\:mm\:ss") : "-";
        const int width = 28;
        int filled = value.Total == 0 ? width : (int)(width * value.Done / value.Total);
        Console.Error.Write($"\r{value.Phase,-10} [{new string('#', filled)}{new string('.', width - filled)}] {value.Done}/{value.Total}  {rate:F1}/s  ETA {eta}   ");
        _drawn = true;
    }

    private void Finish()
    {
        if (_drawn) Console.Error.WriteLine();
        _drawn = false;
    }

    public void Dispose() => Finish();
}
