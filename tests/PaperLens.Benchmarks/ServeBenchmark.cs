using System.Diagnostics;
using System.Text.Json;
using Nerdbank.Streams;
using PaperLens.Embedding;
using PaperLens.Server.Lsp.Protocol;
using PaperLens.Server.Workspace;
using PaperLens.Sources;
using PaperLens.Tests;
using PaperLens.Tests.Lsp;
using Range = PaperLens.Server.Lsp.Protocol.Range;

namespace PaperLens.Benchmarks;

/// <summary>
/// Completion latency over the real `paperlens serve` process's stdio, as a user types: each ACM-CR context is typed
/// word by word as a new paragraph of a LaTeX draft, then ` \cite{}` key by key, then the first letters of the top key.
/// "First" is the completion right after `{`; "cached" the ones after each typed letter. Corpora and their indexes come
/// from <see cref="CompletionBenchmark.Prepare"/> (random paper vectors; the server embeds the contexts with the real
/// model). Each size runs with background ranking on, then off (<see cref="BackgroundRanker.EnvironmentSwitch"/>=0).
/// </summary>
public static class ServeBenchmark
{
    private const string Citation = " \\cite{}";

    public static int Run(string[] args)
    {
        var sizes = CompletionBenchmark.Option(args, "--sizes", "10000,100000").Split(',').Select(int.Parse).ToArray();
        int paragraphs = int.Parse(CompletionBenchmark.Option(args, "--paragraphs", "20"));
        int wordMs = int.Parse(CompletionBenchmark.Option(args, "--word-ms", "150"));
        int keyMs = int.Parse(CompletionBenchmark.Option(args, "--key-ms", "80"));
        int pauseMs = int.Parse(CompletionBenchmark.Option(args, "--pause-ms", "0")); // a writer's pause before citing
        // As VS Code does, the client resolves each row's documentation when it shows the row (off: all 50 inline).
        bool resolve = CompletionBenchmark.Option(args, "--resolve", "on") != "off";
        string acm = CompletionBenchmark.Option(args, "--acm", "/tmp/acm/data/acm-dl");
        string work = CompletionBenchmark.Option(args, "--work", Path.Combine(Path.GetTempPath(), "paperlens-serve-bench"));
        if (!Directory.Exists(acm)) { Console.Error.WriteLine($"ACM-CR bib folder not found: {acm} (tar xzf acm-cr-collection.tar.gz -C /tmp/acm)"); return 2; }
        string queries = SharedData.Find("acm-cr/queries.jsonl") ?? throw new InvalidOperationException("queries.jsonl not found");
        var contexts = File.ReadLines(queries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("context_before").GetString()!)
            .Where(c => c.Split(' ').Length >= 8).Take(paragraphs).ToList();

        Console.Error.WriteLine("reading ACM-CR…");
        var all = SourceLoader.LoadAll([acm], _ => { }).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var corpora = new List<(int Size, string Bib, string Index)>();
        if (!EmbedderFactory.TryCreate(null, out var embedder, out var error)) { Console.Error.WriteLine(error); return 2; }
        using (embedder)
            foreach (int size in sizes)
            {
                var (bib, index) = CompletionBenchmark.Prepare(Path.Combine(work, size.ToString()), all.Take(size).ToList(), embedder);
                corpora.Add((size, bib, index));
            }

        var rows = new List<string>();
        foreach (var (size, bib, index) in corpora)
        {
            // Both servers run side by side, a paragraph in one and then the same in the other, so that the machine's
            // load falls on both alike; one paragraph each warms them up first and is not counted.
            Console.Error.WriteLine($"{size} papers…");
            var sessions = new[] { true, false }.Select(on => TypingSession.Start(bib, index, on, wordMs, keyMs, pauseMs, resolve).GetAwaiter().GetResult()).ToList();
            try
            {
                foreach (var (context, i) in contexts.Prepend(contexts[0]).Select((c, i) => (c, i)))
                    foreach (var session in sessions)
                        session.TypeParagraph(context, counted: i > 0).GetAwaiter().GetResult();
                foreach (var session in sessions)
                    rows.Add($"| {size:N0} | {(session.Background ? "on" : "off")} | {session.Cached.Count} | {Ms(session.Cached, 50)} | {Ms(session.Cached, 95)} | {Ms(session.Cached, 99)} "
                        + $"| {session.First.Count} | {Ms(session.First, 50)} | {Ms(session.First, 95)} | {Ms(session.First, 99)} "
                        + $"| {(resolve ? $"{Ms(session.Resolved, 50)} / {Ms(session.Resolved, 99)}" : "inline")} |");
            }
            finally { foreach (var session in sessions) session.StopAsync().GetAwaiter().GetResult(); }
        }

        Console.WriteLine($"Completion latency over `paperlens serve` stdio, real model for the context: {contexts.Count} ACM-CR contexts (context_before) typed as new paragraphs, "
            + $"a word every {wordMs} ms, a pause of {pauseMs} ms, then `{Citation.Trim()}` a key every {keyMs} ms; first = right after `{{`, cached = after each of 3 typed letters of the top key; "
            + (resolve ? "documentation resolved for the top row after each first completion (completionItem/resolve), as VS Code asks for the row it shows." : "documentation inline in every row (--resolve off)."));
        Console.WriteLine();
        Console.WriteLine("| papers | background ranking | cached n | cached p50 ms | p95 | p99 | first n | first in paragraph p50 ms | p95 | p99 | resolve p50 / p99 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static string Ms(List<double> values, int percentile) => CompletionBenchmark.P(values, percentile).ToString("F1");

    /// <summary>One `paperlens serve` process and a draft being typed into, with the latencies measured so far.</summary>
    private sealed class TypingSession
    {
        private readonly Process _process;
        private readonly LspTestClient _client;
        private readonly string _uri;
        private readonly int _wordMs, _keyMs, _pauseMs;
        private int _line, _column, _version = 2;
        private bool _started;

        public bool Background { get; }
        public List<double> First { get; } = [];
        public List<double> Cached { get; } = [];
        public List<double> Resolved { get; } = [];

        private TypingSession(Process process, LspTestClient client, bool background, int wordMs, int keyMs, int pauseMs, int line)
        {
            (_process, _client, Background, _wordMs, _keyMs, _pauseMs, _line) = (process, client, background, wordMs, keyMs, pauseMs, line);
            _uri = client.Uri("paper.tex");
        }

        public static async Task<TypingSession> Start(string bib, string index, bool background, int wordMs, int keyMs, int pauseMs, bool resolve)
        {
            var fixture = Fixture.Parse("%! paper.tex\n\\documentclass{article}\n\\begin{document}\n|\n\\end{document}\n");
            var start = ServerProcess.StartInfo("serve");
            start.Environment[BackgroundRanker.EnvironmentSwitch] = background ? "1" : "0";
            var process = Process.Start(start)!;
            _ = process.StandardError.ReadToEndAsync(); // the log must not fill the pipe
            var client = LspTestClient.Over(FullDuplexStream.Splice(process.StandardOutput.BaseStream, process.StandardInput.BaseStream), fixture);
            await client.InitializeAsync(new { corpus = new { paths = new[] { bib } }, index = new { path = index } }, textDocumentCapabilities: resolve
                ? new { completion = new { completionItem = new { resolveSupport = new { properties = new[] { "documentation", "detail", "additionalTextEdits" } } } } }
                : null);
            await client.OpenAsync("paper.tex");
            return new TypingSession(process, client, background, wordMs, keyMs, pauseMs, LspTestClient.CursorPosition(fixture).Line);
        }

        /// <summary>A new paragraph typed word by word, ` \cite{}` key by key, then three letters of the top suggestion's key.</summary>
        public async Task TypeParagraph(string context, bool counted)
        {
            if (_started) await Type("\n\n", _wordMs); // after the previous citation
            _started = true;
            foreach (var (word, w) in context.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select((word, w) => (word, w)))
                await Type(w == 0 ? word : " " + word, _wordMs);
            await Task.Delay(_pauseMs);
            foreach (var key in new[] { " ", "\\", "c", "i", "t", "e" }) await Type(key, _keyMs);
            await Type("{}", 0); // the editor closes the brace; `{` asks for completion
            var (ms, list) = await Complete(back: 1);
            if (counted) First.Add(ms);
            if (list?.Items.FirstOrDefault() is { Data: not null } top)
            {
                var clock = Stopwatch.StartNew();
                await _client.Request<CompletionItem>("completionItem/resolve", top);
                if (counted) Resolved.Add(clock.Elapsed.TotalMilliseconds);
            }
            _column--; // inside the braces
            foreach (char letter in (list?.Items.FirstOrDefault()?.Label ?? "abc").Take(3))
            {
                await Type(letter.ToString(), _keyMs);
                var (typedMs, _) = await Complete(back: 0);
                if (counted) Cached.Add(typedMs);
            }
            _column++; // past the closing brace
        }

        private async Task Type(string text, int pauseMs)
        {
            var at = new Position(_line, _column);
            await _client.Notify("textDocument/didChange", new
            {
                textDocument = new { uri = _uri, version = _version++ },
                contentChanges = new[] { new { range = new Range(at, at), text } },
            });
            int breaks = text.Count(c => c == '\n');
            (_line, _column) = breaks == 0 ? (_line, _column + text.Length) : (_line + breaks, text.Length - text.LastIndexOf('\n') - 1);
            await Task.Delay(pauseMs);
        }

        private async Task<(double Ms, CompletionList? List)> Complete(int back)
        {
            var clock = Stopwatch.StartNew();
            var list = await _client.Request<CompletionList?>("textDocument/completion", new { textDocument = new { uri = _uri }, position = new Position(_line, _column - back) });
            return (clock.Elapsed.TotalMilliseconds, list);
        }

        public async Task StopAsync()
        {
            try
            {
                await _client.Request<object?>("shutdown", null);
                await _client.Notify("exit", null);
                if (!_process.WaitForExit(20_000)) _process.Kill(true);
            }
            finally
            {
                if (!_process.HasExited) _process.Kill(true);
                await _client.DisposeAsync();
                _process.Dispose();
            }
        }
    }
}
