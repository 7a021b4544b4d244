using PaperLens.Benchmarks;

// Each benchmark is a verb: `dotnet run -c Release --project tests/PaperLens.Benchmarks -- <verb> [options]`.
// Add new ones to this table.
var verbs = new Dictionary<string, (string Help, Func<string[], int> Run)>
{
    ["embed"] = ("embedding throughput: reference package vs our fp32 and int8 [--acm N] (N ACM-CR abstracts, default 2000) [--model arctic|minilm]", EmbedBenchmark.Run),
    ["completion"] = ("LSP completion latency [--sizes 10000,100000] [--paragraphs 20] [--acm /tmp/acm/data/acm-dl]", CompletionBenchmark.Run),
};

if (args.Length == 0 || !verbs.TryGetValue(args[0], out var verb))
{
    Console.Error.WriteLine("usage: PaperLens.Benchmarks <verb> [options]");
    foreach (var (name, (help, _)) in verbs)
        Console.Error.WriteLine($"  {name,-8} {help}");
    return 2;
}
return verb.Run(args[1..]);
