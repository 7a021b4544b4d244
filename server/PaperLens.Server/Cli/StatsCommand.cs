using System.CommandLine;

namespace PaperLens.Server.Cli;

/// <summary>`paperlens stats`: what the index holds.</summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var command = new Command("stats", "Show what the index holds");
        command.SetAction(parse =>
        {
            using var session = CliSession.Open(parse);
            var stats = session.Store.Stats(session.Embedder?.ModelId);
            Console.Out.WriteLine($"index:      {stats.Path} ({stats.FileBytes / 1048576.0:F1} MiB)");
            Console.Out.WriteLine($"corpus:     {string.Join(", ", session.CorpusPaths)}");
            Console.Out.WriteLine($"sources:    {stats.Sources} files");
            Console.Out.WriteLine($"papers:     {stats.Papers}");
            Console.Out.WriteLine($"embedded:   {stats.Embedded} ({stats.Pending} pending) with {stats.Model ?? "no model"}");
            Console.Out.WriteLine($"vectors:    {stats.CachedVectors} cached for this model");
            Console.Out.WriteLine($"last run:   {session.Store.GetMeta("sync_state") ?? "never"}");
            return 0;
        });
        return command;
    }
}
