using System.CommandLine;

namespace PaperLens.Server.Cli;

/// <summary>`paperlens stats [--merges]`: what the index holds.</summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var merges = new Option<bool>("--merges") { Description = "List every merge of records from different files, with both sources" };
        var command = new Command("stats", "Show what the index holds") { merges };
        command.SetAction(parse =>
        {
            using var session = CliSession.Open(parse);
            if (parse.GetValue(merges))
            {
                var list = session.Store.LoadMerges();
                foreach (var merge in list) Console.Out.WriteLine(merge.ToString());
                Console.Error.WriteLine($"{list.Count} merges of records from different files.");
                return 0;
            }
            var stats = session.Store.Stats(session.Embedder?.ModelId);
            Console.Out.WriteLine($"index:      {stats.Path} ({stats.FileBytes / 1048576.0:F1} MiB)");
            Console.Out.WriteLine($"corpus:     {string.Join(", ", session.CorpusPaths)}");
            Console.Out.WriteLine($"sources:    {stats.Sources} files");
            Console.Out.WriteLine($"papers:     {stats.Papers}");
            Console.Out.WriteLine($"merged:     {session.Store.LoadMerges().Count} records from other files (stats --merges lists them)");
            Console.Out.WriteLine($"embedded:   {stats.Embedded} ({stats.Pending} pending) with {stats.Model ?? "no model"}");
            Console.Out.WriteLine($"vectors:    {stats.CachedVectors} cached for this model");
            Console.Out.WriteLine($"last run:   {session.Store.GetMeta("sync_state") ?? "never"}");
            return 0;
        });
        return command;
    }
}
