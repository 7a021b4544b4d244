using System.Diagnostics;

namespace PaperLens.Tests;

/// <summary>
/// Starts the built `paperlens` (copied next to the tests) as a real process, or the executable that
/// PAPERLENS_SERVER names, such as the trimmed one that scripts/package-vsix.sh publishes.
/// </summary>
public static class ServerProcess
{
    public const string ServerVariable = "PAPERLENS_SERVER";

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var published = Environment.GetEnvironmentVariable(ServerVariable);
        var info = new ProcessStartInfo(string.IsNullOrEmpty(published) ? "dotnet" : Path.GetFullPath(published))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        if (string.IsNullOrEmpty(published)) info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "paperlens.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["XDG_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "paperlens-test-cache");
        return info;
    }

    /// <summary>Runs to the end and returns exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args) => Run(StartInfo(args));

    /// <summary>Runs a prepared start (see <see cref="StartInfo"/>) to the end.</summary>
    public static (int Code, string Out, string Err) Run(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish"); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
