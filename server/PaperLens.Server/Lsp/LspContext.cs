using System.Text.Json;
using PaperLens.Features;
using PaperLens.Server.Lsp.Protocol;
using PaperLens.Server.Workspace;
using StreamJsonRpc;

namespace PaperLens.Server.Lsp;

/// <summary>What handlers share: the workspace, the connection back to the client, and the lifecycle state.</summary>
public sealed class LspContext(WorkspaceHost workspace)
{
    public WorkspaceHost Workspace { get; } = workspace;
    public JsonRpc Rpc { get; set; } = null!;
    public bool Initialized { get; set; }
    public bool ShutdownRequested { get; set; }
    public JsonElement? ClientCapabilities { get; set; }
    /// <summary>Commands the client runs itself (initializationOptions.clientCommands), such as paperlens.showRelated.</summary>
    public IReadOnlySet<string> ClientCommands { get; set; } = new HashSet<string>();
    /// <summary>The last completion lists' documentation, for completionItem/resolve.</summary>
    public CompletionDocuments CompletionDocuments { get; } = new();

    /// <summary>Does the client resolve a completion item's documentation (completionItem.resolveSupport names it)?</summary>
    public bool ResolvesDocumentation =>
        ClientCapability("textDocument", "completion", "completionItem", "resolveSupport", "properties") is { ValueKind: JsonValueKind.Array } properties
        && properties.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.String && p.GetString() == "documentation");

    /// <summary>Completes with the process exit code when the client sends `exit`.</summary>
    public TaskCompletionSource<int> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The snapshot a request works on; throws ServerNotInitialized before `initialize`.</summary>
    public WorkspaceSnapshot Snapshot()
    {
        if (!Initialized) throw new LocalRpcException("The server is not initialized yet") { ErrorCode = LspErrorCodes.ServerNotInitialized };
        if (ShutdownRequested) throw new LocalRpcException("The server is shutting down") { ErrorCode = LspErrorCodes.InvalidRequest };
        return Workspace.Snapshot;
    }

    /// <summary>The draft a request names, or null when it is not a known Markdown/LaTeX document.</summary>
    public (WorkspaceSnapshot Snapshot, DraftDocument? Draft) Draft(TextDocumentIdentifier document)
    {
        var snapshot = Snapshot();
        return (snapshot, snapshot.Drafts.GetValueOrDefault(LspConvert.ToPath(document.Uri)));
    }

    public bool ClientSupports(params string[] path) => ClientCapability(path) is { ValueKind: JsonValueKind.True };

    /// <summary>The value the client's capabilities hold at <paramref name="path"/>, or null.</summary>
    private JsonElement? ClientCapability(params string[] path)
    {
        if (ClientCapabilities is not { ValueKind: JsonValueKind.Object } node) return null;
        foreach (var name in path)
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node)) return null;
        return node;
    }

    public Task NotifyAsync(string method, object parameters) =>
        Rpc.IsDisposed ? Task.CompletedTask : Rpc.NotifyWithParameterObjectAsync(method, parameters);

    public void Log(int type, string message) => _ = NotifyAsync("window/logMessage", new LogMessageParams(type, message));
}
