using PaperLens.Server.Lsp.Protocol;
using StreamJsonRpc;
using FileSystemWatcher = PaperLens.Server.Lsp.Protocol.FileSystemWatcher;

namespace PaperLens.Server.Lsp.Handlers;

/// <summary>initialize: settings from initializationOptions, folders, capabilities.</summary>
public sealed class InitializeHandler(LspContext context)
{
    public static readonly string[] TriggerCharacters = ["{", ",", "@", ";"];

    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public InitializeResult Handle(InitializeParams request)
    {
        if (context.Initialized) throw new LocalRpcException("initialize was already sent") { ErrorCode = LspErrorCodes.InvalidRequest };
        context.ClientCapabilities = request.Capabilities;
        context.ClientCommands = LspSettings.ClientCommands(request.InitializationOptions);
        var folders = request.WorkspaceFolders?.Select(f => LspConvert.ToPath(f.Uri))
            ?? (request.RootUri is { } root ? [LspConvert.ToPath(root)] : []);
        context.Workspace.Initialize(folders, LspSettings.Read(request.InitializationOptions, new()));
        context.Initialized = true;
        return new InitializeResult(new ServerCapabilities
        {
            CompletionProvider = new CompletionOptions(TriggerCharacters, ResolveProvider: true),
            HoverProvider = true,
            DefinitionProvider = true,
            ReferencesProvider = true,
            RenameProvider = new RenameOptions(PrepareProvider: true),
            DocumentSymbolProvider = true,
            WorkspaceSymbolProvider = true,
            CodeActionProvider = new CodeActionOptions(["quickfix", "refactor"]),
            ExecuteCommandProvider = new ExecuteCommandOptions([PaperLensMethods.CiteCommand, PaperLensMethods.AddEntryCommand, PaperLensMethods.ReindexCommand]),
            Workspace = new WorkspaceCapabilities(new WorkspaceFoldersServerCapabilities(true, true)),
        }, new ServerInfo("paperlens", typeof(InitializeHandler).Assembly.GetName().Version?.ToString(3) ?? "0.1.0"));
    }
}

/// <summary>initialized: registers file watchers when the client allows dynamic registration.</summary>
public sealed class InitializedHandler(LspContext context)
{
    [JsonRpcMethod("initialized", UseSingleObjectParameterDeserialization = true)]
    public void Handle(object? _)
    {
        if (!context.Initialized || !context.ClientSupports("workspace", "didChangeWatchedFiles", "dynamicRegistration")) return;
        var watchers = new[] { "**/*.bib", "**/*.tex", "**/*.md", "**/*.json", "**/*.jsonl", "**/*.txt" }.Select(g => new FileSystemWatcher(g)).ToArray();
        _ = context.Rpc.InvokeWithParameterObjectAsync("client/registerCapability", new RegistrationParams(
            [new Registration("paperlens-watch", "workspace/didChangeWatchedFiles", new DidChangeWatchedFilesRegistrationOptions(watchers))]));
    }
}

public sealed class ShutdownHandler(LspContext context)
{
    [JsonRpcMethod("shutdown")]
    public object? Handle()
    {
        context.Snapshot();
        context.ShutdownRequested = true;
        return null;
    }
}

/// <summary>exit: code 0 after shutdown, 1 without.</summary>
public sealed class ExitHandler(LspContext context)
{
    [JsonRpcMethod("exit")]
    public void Handle() => context.Exit.TrySetResult(context.ShutdownRequested ? 0 : 1);
}
