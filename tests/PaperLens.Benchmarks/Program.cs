using PaperLens.Benchmarks;

// Each benchmark is a verb: `dotnet run -c Release --project tests/PaperLens.Benchmarks -- <verb> [options]`.
// Add new ones to this table.
var verbs = new Dictionary<string, (string Help, Func<string[], int> Run)>
{
    ["embed"] = ("embedding throughput: reference package vs our fp32 and int8 [--acm N] (N ACM-CR abstracts, default 2000) [--model arctic|minilm]", EmbedBenchmark.Run),
    ["completion"] = ("LSP completion latency [--sizes 10000,100000] [--paragraphs 20] [--acm /tmp/acm/data/acm-dl]", CompletionBenchmark.Run),
    ["serve"] = ("completion latency over real `paperlens serve` stdio while typing, background ranking on and off [--sizes 10000,100000] [--paragraphs 20] [--word-ms 150] [--key-ms 80] [--pause-ms 0] [--acm DIR] [--work DIR]", ServeBenchmark.Run),
    ["index"] = ("ACM-CR parse and no-change re-run, lexical indexing of a generated arXiv JSONL corpus [--records 1000000] [--vectors] [--acm /tmp/acm/data/acm-dl] [--work DIR]", IndexBenchmark.Run),
    ["vector-recall"] = ("recall@10 of the int8 vector index vs exact fp32 on real embeddings [--acm 2000] [--queries 200]", IndexBenchmark.Recall),
};

if (args.Length == 0 || !verbs.TryGetValue(args[0], out var verb))
{
    Console.Error.WriteLine("usage: PaperLens.Benchmarks <verb> [options]");
    foreach (var (name, (help, _)) in verbs)
        Console.Error.WriteLine($"  {name,-8} {help}");
    return 2;
}
return verb.Run(args[1..]);
