using PaperLens.Server.Lsp.Protocol;
using StreamJsonRpc;

namespace PaperLens.Server.Lsp.Handlers;

public sealed class DidOpenHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void Handle(DidOpenTextDocumentParams request)
    {
        if (!context.Initialized) return;
        string path = LspConvert.ToPath(request.TextDocument.Uri);
        context.Workspace.Open(path, request.TextDocument.Text, request.TextDocument.Version);
        context.Workspace.EditingAt(path, null); // the cursor is not known yet: the end
    }
}

public sealed class DidChangeHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void Handle(DidChangeTextDocumentParams request)
    {
        if (!context.Initialized) return;
        string path = LspConvert.ToPath(request.TextDocument.Uri);
        context.Workspace.Change(path, request.TextDocument.Version, text => LspConvert.ApplyChanges(text, request.ContentChanges));
        context.Workspace.EditingAt(path, LspConvert.EditEnd(request.ContentChanges));
    }
}

public sealed class DidCloseHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void Handle(DidCloseTextDocumentParams request)
    {
        if (!context.Initialized) return;
        context.Workspace.Close(LspConvert.ToPath(request.TextDocument.Uri));
        context.CompletionDocuments.Forget(request.TextDocument.Uri);
    }
}

/// <summary>didSave: a saved .bib may change what the corpus index holds.</summary>
public sealed class DidSaveHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/didSave", UseSingleObjectParameterDeserialization = true)]
    public void Handle(DidSaveTextDocumentParams request)
    {
        if (context.Initialized) context.Workspace.FilesChanged([LspConvert.ToPath(request.TextDocument.Uri)]);
    }
}

public sealed class DidChangeConfigurationHandler(LspContext context)
{
    [JsonRpcMethod("workspace/didChangeConfiguration", UseSingleObjectParameterDeserialization = true)]
    public void Handle(DidChangeConfigurationParams request)
    {
        if (context.Initialized) context.Workspace.UpdateSettings(LspSettings.Read(request.Settings, context.Workspace.Snapshot.Settings));
    }
}

public sealed class DidChangeWorkspaceFoldersHandler(LspContext context)
{
    [JsonRpcMethod("workspace/didChangeWorkspaceFolders", UseSingleObjectParameterDeserialization = true)]
    public void Handle(DidChangeWorkspaceFoldersParams request)
    {
        if (!context.Initialized) return;
        context.Workspace.ChangeFolders(request.Event.Added.Select(f => LspConvert.ToPath(f.Uri)), request.Event.Removed.Select(f => LspConvert.ToPath(f.Uri)));
    }
}

public sealed class DidChangeWatchedFilesHandler(LspContext context)
{
    [JsonRpcMethod("workspace/didChangeWatchedFiles", UseSingleObjectParameterDeserialization = true)]
    public void Handle(DidChangeWatchedFilesParams request)
    {
        if (context.Initialized) context.Workspace.FilesChanged(request.Changes.Select(c => LspConvert.ToPath(c.Uri)));
    }
}
