namespace PaperLens.Benchmarks;

/// <summary>Samples the 1-minute load average every 5 s while a measurement runs: other work on the machine skews timings.</summary>
internal sealed class LoadSampler : IDisposable
{
    private readonly List<double> _samples = [];
    private readonly Timer _timer;

    public LoadSampler() => _timer = new Timer(_ => Sample(), null, 0, 5_000);

    private void Sample()
    {
        double load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        lock (_samples) _samples.Add(load);
    }

    /// <summary>"mean / max" of the samples so far.</summary>
    public string Summary()
    {
        Sample();
        lock (_samples) return $"{_samples.Average():F1} / {_samples.Max():F1}";
    }

    public void Dispose() => _timer.Dispose();
}
