namespace PaperLens.Benchmarks;

/// <summary>The `--name value` options and the failure exit of the benchmark verbs.</summary>
internal static class BenchmarkArgs
{
    public static string? Option(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
