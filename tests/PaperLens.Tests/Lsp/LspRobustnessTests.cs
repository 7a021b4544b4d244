using System.Reflection;
using System.Text.Json;
using PaperLens.Server.Lsp;
using StreamJsonRpc;

namespace PaperLens.Tests.Lsp;

/// <summary>
/// Wrong params for every method, positions out of range, inputs that used to throw inside features, and a close during a
/// request: each gets a result or a short error (never an internal error with a stack trace), and the server goes on.
/// </summary>
public class LspRobustnessTests
{
    private const string Clean = """
        %! notes.md
        Dense retrieval of scientific papers [@|
        %! refs.bib
        @article{lee2020dense, title = {Dense Retrieval of Scientific Papers}, author = {Lee, Kenton}, year = 2020}
        """;

    private static readonly Fixture Workspace = Fixture.Parse(Clean);

    /// <summary>The clean workspace and drafts that once threw inside the parsers.</summary>
    private static readonly Fixture Troubled = Fixture.Parse(Clean + "\n" + $$"""
        %! minus.md
        See -@{ and more.
        %! quotes.md
        {{new string('>', 128)}} Dense retrieval [@lee2020dense]
        %! brackets.md
        {{string.Concat(Enumerable.Repeat("[@", 6250))}}
        %! odd.tex
        Dense retrieval of papers with an odd character � here \cite{lee2020dense} and \cite{
        %! odd.bib
        @article{odd2021, title = {Odd � Title}, author = {Odd, A.}, year = 2021}
        """.Replace('\uFFFD', '\uFFFE'));

    private static readonly string[] Lifecycle = ["initialize", "initialized", "shutdown", "exit"];

    /// <summary>Every method the server registers, read from its handler classes.</summary>
    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var method in typeof(LanguageServer).Assembly.GetTypes().SelectMany(t => t.GetMethods()))
            if (method.GetCustomAttribute<JsonRpcMethodAttribute>()?.Name is { } name && !Lifecycle.Contains(name)) data.Add(name);
        return data;
    }

    private static readonly string[] WrongParams =
    [
        "{}", "[]", "null", """{"textDocument":42}""", """{"textDocument":{"uri":5},"position":"top"}""",
        """{"textDocument":{"uri":"file:///nowhere/x.md"},"position":{"line":0,"character":0},"range":{"start":1}}""",
        """{"textDocument":{"uri":"not a uri"},"position":{"line":-1,"character":-1},"query":7,"key":[],"command":{}}""",
        """{"command":"paperlens.cite","arguments":[42]}""", """{"command":"paperlens.addBibEntry","arguments":[{"uri":"file:///x.md"}]}""",
        """{"settings":5,"changes":[{"uri":3}],"event":{"added":7},"contentChanges":[{"range":5,"text":1}]}""",
    ];

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Wrong_params_get_a_short_error_or_a_result(string method)
    {
        await using var client = await StartAsync();
        foreach (var json in WrongParams)
        {
            var reply = await client.RequestAsync(method, JsonDocument.Parse(json).RootElement);
            AssertNoCrash(reply, $"{method} {json}");
        }
        await AssertStillAnswersAsync(client);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -7)]
    [InlineData(100_000, 0)]
    [InlineData(0, 100_000)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public async Task Positions_out_of_range_get_a_short_error_or_a_result(int line, int character)
    {
        await using var client = await StartAsync();
        var position = new { line, character };
        var document = new { uri = client.Uri("notes.md") };
        var requests = new (string Method, object Params)[]
        {
            ("textDocument/completion", new { textDocument = document, position }),
            ("textDocument/hover", new { textDocument = document, position }),
            ("textDocument/definition", new { textDocument = document, position }),
            ("textDocument/references", new { textDocument = document, position, context = new { includeDeclaration = true } }),
            ("textDocument/prepareRename", new { textDocument = document, position }),
            ("textDocument/rename", new { textDocument = document, position, newName = "x2020" }),
            ("textDocument/codeAction", new { textDocument = document, range = new { start = position, end = position }, context = new { diagnostics = Array.Empty<object>() } }),
            ("paperlens/relatedPapers", new { textDocument = document, position }),
            ("paperlens/relatedPapers", new { textDocument = document, range = new { start = position, end = new { line = 0, character = 3 } } }),
            ("workspace/executeCommand", new { command = "paperlens.cite", arguments = new object[] { new { uri = document.uri, position, key = "lee2020dense" } } }),
        };
        foreach (var (method, parameters) in requests) AssertNoCrash(await client.RequestAsync(method, parameters), $"{method} at {line}:{character}");
        await client.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri = document.uri, version = 2 },
            contentChanges = new[] { new { range = new { start = position, end = position }, text = "" } },
        });
        await AssertStillAnswersAsync(client);
    }

    /// <summary>Drafts that once threw inside the parsers: a negative slice, Markdig's depth limit, U+FFFE in LaTeX and in a .bib.</summary>
    [Theory]
    [InlineData("minus.md", 6)]
    [InlineData("quotes.md", -1)]
    [InlineData("brackets.md", -1)]
    [InlineData("odd.tex", -1)]
    public async Task Inputs_that_threw_in_features_get_a_result_or_a_short_error(string name, int character)
    {
        const int line = 0;
        if (character < 0) character = Troubled.Files[name].Split('\n')[0].Length;
        await using var client = await StartAsync(Troubled);
        await client.OpenAsync(name, name.EndsWith(".tex") ? "latex" : "markdown");
        var document = new { uri = client.Uri(name) };
        var position = new { line, character };
        foreach (var (method, parameters) in new (string, object)[]
        {
            ("textDocument/completion", new { textDocument = document, position }),
            ("textDocument/hover", new { textDocument = document, position }),
            ("textDocument/codeAction", new { textDocument = document, range = new { start = new { line, character = 0 }, end = position }, context = new { diagnostics = Array.Empty<object>() } }),
            ("paperlens/relatedPapers", new { textDocument = document, position }),
            ("textDocument/documentSymbol", new { textDocument = document }),
        })
            AssertNoCrash(await client.RequestAsync(method, parameters), $"{method} in {name}", featureMayFail: true);
        await client.OpenAsync("odd.bib", "bibtex");
        AssertNoCrash(await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = client.Uri("odd.bib") } }), "documentSymbol in odd.bib", featureMayFail: true);
        Assert.True((await client.RequestAsync("paperlens/indexStatus", new { })).TryGetProperty("result", out _));
    }

    [Fact]
    public async Task A_document_closed_and_reopened_while_requests_are_in_flight_is_handled()
    {
        await using var client = await StartAsync();
        var document = new { uri = client.Uri("notes.md") };
        var position = new { line = 0, character = 39 };
        var pending = new List<Task<JsonElement>>();
        for (int i = 0; i < 20; i++)
        {
            pending.Add(client.RequestAsync("textDocument/completion", new { textDocument = document, position }));
            pending.Add(client.RequestAsync("paperlens/relatedPapers", new { textDocument = document, position }));
            await client.NotifyAsync("textDocument/didClose", new { textDocument = document });
            if (i % 2 == 0) await client.OpenAsync("notes.md", "markdown");
        }
        foreach (var reply in await Task.WhenAll(pending)) AssertNoCrash(reply, "request around didClose");
        await client.OpenAsync("notes.md", "markdown");
        await AssertStillAnswersAsync(client);
    }

    private static async Task<RawLspClient> StartAsync(Fixture? fixture = null)
    {
        var client = RawLspClient.InProcess(fixture ?? Workspace);
        await client.InitializeAsync();
        await client.OpenAsync("notes.md", "markdown");
        return client;
    }

    /// <summary>
    /// A result, or an error with a short message and no data. Only with <paramref name="featureMayFail"/> may it be an
    /// internal error: a feature's own fault, still answered in one line.
    /// </summary>
    private static void AssertNoCrash(JsonElement reply, string what, bool featureMayFail = false)
    {
        if (!reply.TryGetProperty("error", out var error)) return;
        int code = error.GetProperty("code").GetInt32();
        var message = error.GetProperty("message").GetString() ?? "";
        Assert.False(error.TryGetProperty("data", out _), $"{what}: error.data sent");
        Assert.DoesNotContain("   at ", message);
        Assert.True(message.Length <= 300, $"{what}: long message {message}");
        Assert.True(code is -32602 or -32600 or -32601 or -32800 || (featureMayFail && code == -32603), $"{what}: {reply}");
    }

    private static async Task AssertStillAnswersAsync(RawLspClient client)
    {
        var completion = await client.RequestAsync("textDocument/completion", new { textDocument = new { uri = client.Uri("notes.md") }, position = new { line = 0, character = 39 } });
        Assert.Contains("lee2020dense", completion.GetProperty("result").GetRawText());
    }
}
