using System.Diagnostics;

namespace PaperLens.Benchmarks;

/// <summary>Samples the process working set while a measurement runs and keeps the highest value.</summary>
internal sealed class PeakWorkingSet : IDisposable
{
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly Timer _timer;
    private long _peak;

    public PeakWorkingSet()
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, 0, 20);
    }

    public long Bytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    private void Sample()
    {
        lock (_process)
        {
            _process.Refresh();
            long current = _process.WorkingSet64;
            if (current > _peak)
                Interlocked.Exchange(ref _peak, current);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _process.Dispose();
    }
}
