using System.Text.Json;

namespace PaperLens.Server.Lsp.Protocol;

/// <summary>#initialize</summary>
public sealed record InitializeParams
{
    public int? ProcessId { get; init; }
    public string? RootUri { get; init; }
    public JsonElement? InitializationOptions { get; init; }
    public JsonElement? Capabilities { get; init; }
    public WorkspaceFolder[]? WorkspaceFolders { get; init; }
}

public sealed record WorkspaceFolder(string Uri, string Name);

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

public sealed record ServerInfo(string Name, string Version);

/// <summary>#serverCapabilities</summary>
public sealed record ServerCapabilities
{
    public TextDocumentSyncOptions TextDocumentSync { get; init; } = new();
    public CompletionOptions? CompletionProvider { get; init; }
    public bool HoverProvider { get; init; }
    public bool DefinitionProvider { get; init; }
    public bool ReferencesProvider { get; init; }
    public RenameOptions? RenameProvider { get; init; }
    public bool DocumentSymbolProvider { get; init; }
    public bool WorkspaceSymbolProvider { get; init; }
    public CodeActionOptions? CodeActionProvider { get; init; }
    public ExecuteCommandOptions? ExecuteCommandProvider { get; init; }
    public WorkspaceCapabilities? Workspace { get; init; }
}

public sealed record TextDocumentSyncOptions
{
    public bool OpenClose { get; init; } = true;
    /// <summary>2 = incremental.</summary>
    public int Change { get; init; } = 2;
    public SaveOptions Save { get; init; } = new(false);
}

public sealed record SaveOptions(bool IncludeText);

public sealed record CompletionOptions(string[] TriggerCharacters, bool ResolveProvider = false);

public sealed record RenameOptions(bool PrepareProvider);

public sealed record CodeActionOptions(string[] CodeActionKinds);

public sealed record ExecuteCommandOptions(string[] Commands);

public sealed record WorkspaceCapabilities(WorkspaceFoldersServerCapabilities WorkspaceFolders);

public sealed record WorkspaceFoldersServerCapabilities(bool Supported, bool ChangeNotifications);

public sealed record DidChangeConfigurationParams(JsonElement? Settings = null);

public sealed record DidChangeWorkspaceFoldersParams(WorkspaceFoldersChangeEvent Event);

public sealed record WorkspaceFoldersChangeEvent(WorkspaceFolder[] Added, WorkspaceFolder[] Removed);

/// <summary>#client_registerCapability</summary>
public sealed record RegistrationParams(Registration[] Registrations);

public sealed record Registration(string Id, string Method, object? RegisterOptions);

public sealed record DidChangeWatchedFilesRegistrationOptions(FileSystemWatcher[] Watchers);

public sealed record FileSystemWatcher(string GlobPattern, int? Kind = null);

public sealed record DidChangeWatchedFilesParams(FileEvent[] Changes);

/// <summary>Type: 1 created, 2 changed, 3 deleted.</summary>
public sealed record FileEvent(string Uri, int Type);

/// <summary>#window_logMessage. Type: 1 error, 2 warning, 3 info, 4 log.</summary>
public sealed record LogMessageParams(int Type, string Message);

/// <summary>window/showMessage: Type 1 error, 2 warning, 3 info. #showMessageParams</summary>
public sealed record ShowMessageParams(int Type, string Message);

/// <summary>#window_workDoneProgress_create</summary>
public sealed record WorkDoneProgressCreateParams(string Token);

public sealed record ProgressParams(string Token, object Value);

public sealed record WorkDoneProgressBegin(string Title, string? Message = null, int? Percentage = null, bool Cancellable = false)
{
    public string Kind => "begin";
}

public sealed record WorkDoneProgressReport(string? Message = null, int? Percentage = null)
{
    public string Kind => "report";
}

public sealed record WorkDoneProgressEnd(string? Message = null)
{
    public string Kind => "end";
}
