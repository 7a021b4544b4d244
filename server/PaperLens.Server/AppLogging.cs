using Serilog;
using Serilog.Events;

namespace PaperLens.Server;

/// <summary>Serilog to a rolling file and to stderr, never stdout (stdout carries results and the LSP protocol).</summary>
public static class AppLogging
{
    public static void Configure(LogEventLevel stderrLevel, string fileName = "paperlens-.log")
    {
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .WriteTo.Console(restrictedToMinimumLevel: stderrLevel, standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "{Level:u3}: {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(Path.Combine(AppPaths.LogDirectory, fileName), rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 7, restrictedToMinimumLevel: LogEventLevel.Information)
            .CreateLogger();
    }
}
