using PaperLens.Embedding;
using PaperLens.Server.Lsp.Handlers;
using System.IO.Pipelines;
using PaperLens.Server.Lsp.Protocol;
using PaperLens.Server.Lsp.Transport;
using PaperLens.Server.Workspace;
using Serilog;
using StreamJsonRpc;

namespace PaperLens.Server.Lsp;

/// <summary>
/// PaperLens over LSP: StreamJsonRpc with LSP headers on a stream pair, the handler table, and what the server pushes to
/// the client. Input passes <see cref="LspInputGate"/> first, so no client message can break the connection.
/// </summary>
public sealed class LanguageServer : IAsyncDisposable
{
    private readonly LspContext _context;
    private readonly JsonRpc _rpc;
    private readonly DiagnosticsPublisher _diagnostics;
    private readonly ProgressReporter _progress;
    private readonly Stream _input;
    private readonly LspInputGate _gate;

    public LanguageServer(Stream input, Stream output, Func<string?, bool, IEmbedder?> loadEmbedder)
    {
        _context = new LspContext(new WorkspaceHost(loadEmbedder));
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = LspJson.Options };
        var checkedInput = new Pipe();
        var messages = new LspMessageHandler(PipeWriter.Create(output), checkedInput.Reader, formatter);
        _rpc = new LspJsonRpc(messages);
        _input = input;
        _gate = new LspInputGate(input, checkedInput.Writer, messages);
        _context.Rpc = _rpc;
        foreach (var handler in Handlers(_context)) _rpc.AddLocalRpcTarget(handler, new JsonRpcTargetOptions { NotifyClientOfEvents = false });
        _rpc.Disconnected += (_, e) =>
        {
            if (e.Reason != DisconnectedReason.LocallyDisposed) Log.Information("Client disconnected: {Reason}", e.Description);
            _context.Exit.TrySetResult(_context.ShutdownRequested ? 0 : 1);
        };
        _diagnostics = new DiagnosticsPublisher(_context);
        _progress = new ProgressReporter(_context);
    }

    /// <summary>Every handler, one per method.</summary>
    private static IEnumerable<object> Handlers(LspContext c) =>
    [
        new InitializeHandler(c), new InitializedHandler(c), new ShutdownHandler(c), new ExitHandler(c),
        new DidOpenHandler(c), new DidChangeHandler(c), new DidCloseHandler(c), new DidSaveHandler(c),
        new DidChangeConfigurationHandler(c), new DidChangeWorkspaceFoldersHandler(c), new DidChangeWatchedFilesHandler(c),
        new CompletionHandler(c), new CompletionResolveHandler(c), new HoverHandler(c), new CodeActionHandler(c), new DefinitionHandler(c), new ReferencesHandler(c),
        new PrepareRenameHandler(c), new RenameHandler(c), new DocumentSymbolHandler(c), new WorkspaceSymbolHandler(c),
        new ExecuteCommandHandler(c), new RelatedPapersHandler(c), new SearchHandler(c), new IndexStatusHandler(c), new BibtexHandler(c),
    ];

    public WorkspaceHost Workspace => _context.Workspace;

    /// <summary>Serves until `exit` or a closed connection; returns the exit code (0 after shutdown, else 1).</summary>
    public async Task<int> RunAsync()
    {
        _rpc.StartListening();
        _gate.Start();
        return await _context.Exit.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _diagnostics.Dispose();
        _progress.Dispose();
        _context.Workspace.Dispose();
        _rpc.Dispose();
        await _gate.StopAsync();
        await _input.DisposeAsync();
    }
}
