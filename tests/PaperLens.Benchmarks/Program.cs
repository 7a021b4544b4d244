using PaperLens.Benchmarks;

// Each benchmark is a verb: `dotnet run -c Release --project tests/PaperLens.Benchmarks -- <verb> [options]`.
// Add new ones to this table.
var verbs = new Dictionary<string, (string Help, Func<string[], int> Run)>
{
    ["embed"] = ("embedding throughput: reference package vs our fp32 and int8 [--acm N] (N ACM-CR abstracts, default 2000) [--model arctic|minilm]", EmbedBenchmark.Run),
    ["completion"] = ("LSP completion latency [--sizes 10000,100000] [--paragraphs 20] [--acm /tmp/acm/data/acm-dl] [--depth 200]", CompletionBenchmark.Run),
    ["serve"] = ("completion latency over real `paperlens serve` stdio while typing, background ranking on and off [--sizes 10000,100000] [--paragraphs 20] [--word-ms 150] [--key-ms 80] [--pause-ms 0] [--resolve on|off] [--acm DIR] [--work DIR]", ServeBenchmark.Run),
    ["index"] = ("ACM-CR parse, lexical index and no-change re-run [--acm /tmp/acm/data/acm-dl] [--work DIR]", IndexBenchmark.Run),
    ["vector-recall"] = ("recall@10 of the int8 vector codecs vs exact fp32 on real embeddings (cached under /tmp/paperlens-recall) [--acm 2000] [--queries 200] [--index schema-3.db [--limit N]] [--store index.db: HNSW graph vs exact over its vectors]", IndexBenchmark.Recall),
    ["scale-corpus"] = ("write an N-record arXiv-snapshot JSONL corpus from ACM-CR records [--records 1000000] [--out /tmp/paperlens-scale/arxiv-N.jsonl] [--acm DIR]", ScaleBenchmark.Corpus),
    ["scale"] = ("1M targets: lexical indexing, index size with synthetic vectors, vector load, server start, RSS, completion [--records 1000000] [--work /tmp/paperlens-scale] [--vectors FILE] [--paragraphs 20] [--reuse]", ScaleBenchmark.Run),
    ["scale-migrate"] = ("schema 5 → 6 migration, timed on a schema-5 copy of a `scale` index [--index /tmp/paperlens-scale/arxiv-1000000.db] [--work DIR]", ScaleBenchmark.Migrate),
    ["scale-serve"] = ("(used by scale) one measured server start --index I --corpus C [--paragraphs N] [--depth 200]", ScaleBenchmark.Serve),
};

if (args.Length == 0 || !verbs.TryGetValue(args[0], out var verb))
{
    Console.Error.WriteLine("usage: PaperLens.Benchmarks <verb> [options]");
    foreach (var (name, (help, _)) in verbs)
        Console.Error.WriteLine($"  {name,-13} {help}");
    return 2;
}
return verb.Run(args[1..]);
