using System.Text.Json;
using PaperLens.Features.CodeActions;
using PaperLens.Features.Completion;
using PaperLens.Features.Hover;
using PaperLens.Features.Navigation;
using PaperLens.Server.Lsp.Protocol;
using StreamJsonRpc;
using static PaperLens.Server.Lsp.LspConvert;

namespace PaperLens.Server.Lsp.Handlers;

/// <summary>textDocument/completion: citation keys ranked by the paragraph and the typed prefix.</summary>
public sealed class CompletionHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/completion", UseSingleObjectParameterDeserialization = true)]
    public CompletionList? Handle(CompletionParams request, CancellationToken ct)
    {
        var (snapshot, draft) = context.Draft(request.TextDocument);
        if (draft is null) return null;
        var result = CitationCompletion.Complete(snapshot, draft, ToFeature(request.Position, draft.Lines), ct);
        if (result is null) return new CompletionList(false, []);
        var range = ToLsp(result.ReplaceRange);
        // A client that resolves documentation gets it for the row it shows, not for all 50 at every letter typed.
        bool deferred = context.ResolvesDocumentation;
        if (deferred) context.CompletionDocuments.Remember(request.TextDocument.Uri, result.Items.Select(i => (i.Key, i.Documentation)));
        var items = result.Items.Select(item => new CompletionItem
        {
            Label = item.Key,
            Detail = item.Detail,
            LabelDetails = new CompletionItemLabelDetails(" " + item.Detail, CompletionRows.Source(item)),
            Documentation = deferred ? null : MarkupContent.Markdown(item.Documentation),
            Data = deferred ? JsonSerializer.SerializeToElement(new CompletionItemData(request.TextDocument.Uri, item.Key), LspJson.Options) : null,
            SortText = item.SortText,
            FilterText = item.FilterText,
            TextEdit = new TextEdit(range, item.Key),
            Command = item.AddToBib is null ? null : new LspCommand($"Add {item.Key} to {Path.GetFileName(item.AddToBib)}", PaperLensMethods.AddEntryCommand,
                [JsonSerializer.SerializeToElement(new AddBibEntryArguments(request.TextDocument.Uri, item.Key, item.Paper.Key), LspJson.Options)]),
        }).ToArray();
        return new CompletionList(result.IsIncomplete || snapshot.Status.IsIndexing, items);
    }
}

/// <summary>completionItem/resolve: the documentation of the row the client shows, from the list it came in.</summary>
public sealed class CompletionResolveHandler(LspContext context)
{
    [JsonRpcMethod("completionItem/resolve", UseSingleObjectParameterDeserialization = true)]
    public CompletionItem Handle(CompletionItem item)
    {
        context.Snapshot(); // initialized and not shutting down
        if (item.Documentation is not null || item.Data is not { ValueKind: JsonValueKind.Object } data
            || !data.TryGetProperty("uri", out var uri) || uri.ValueKind != JsonValueKind.String
            || !data.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String) return item;
        // An item of a list no longer kept (another document's, or older) is returned as it came: its row still reads.
        return context.CompletionDocuments.Find(uri.GetString()!, key.GetString()!) is { } markdown
            ? item with { Documentation = MarkupContent.Markdown(markdown) }
            : item;
    }
}

/// <summary>textDocument/hover on a citation key.</summary>
public sealed class HoverHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/hover", UseSingleObjectParameterDeserialization = true)]
    public Hover? Handle(TextDocumentPositionParams request)
    {
        var (snapshot, draft) = context.Draft(request.TextDocument);
        if (draft is null) return null;
        var hover = CitationHover.Find(snapshot, draft, ToFeature(request.Position, draft.Lines));
        return hover is null ? null : new Hover(MarkupContent.Markdown(hover.Markdown), ToLsp(hover.Range));
    }
}

/// <summary>textDocument/codeAction: cite related papers, show them, fix undefined keys.</summary>
public sealed class CodeActionHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/codeAction", UseSingleObjectParameterDeserialization = true)]
    public CodeAction[] Handle(CodeActionParams request, CancellationToken ct)
    {
        var (snapshot, draft) = context.Draft(request.TextDocument);
        if (draft is null) return [];
        bool clientShowsRelated = context.ClientCommands.Contains(PaperLensMethods.ShowRelatedCommand);
        return CitationCodeActions.For(snapshot, draft, ToFeature(request.Range, draft.Lines), ct)
            .Where(action => action.Kind != CodeActionKind.ShowRelated || clientShowsRelated) // a client-side command: only for clients that have it
            .Select(action => action.Kind switch
        {
            CodeActionKind.ShowRelated => new CodeAction
            {
                Title = action.Title, Kind = "refactor",
                Command = new LspCommand(action.Title, PaperLensMethods.ShowRelatedCommand,
                    [JsonSerializer.SerializeToElement(new { uri = request.TextDocument.Uri, position = request.Range.Start }, LspJson.Options)]),
            },
            CodeActionKind.AddEntry or CodeActionKind.ChangeKey => new CodeAction
            {
                Title = action.Title, Kind = "quickfix", Edit = ToLsp(action.Edits), IsPreferred = action.IsPreferred,
                Diagnostics = request.Context.Diagnostics.Where(d => d.CodeText == Features.Diagnostics.DraftDiagnostics.UndefinedKeyCode && d.Message.Contains($"'{action.FixesKey}'")).ToArray(),
            },
            _ => new CodeAction { Title = action.Title, Kind = "refactor", Edit = ToLsp(action.Edits) },
        }).ToArray();
    }
}

public sealed class DefinitionHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/definition", UseSingleObjectParameterDeserialization = true)]
    public Location[] Handle(TextDocumentPositionParams request) =>
        CitationNavigation.Definition(context.Snapshot(), ToPath(request.TextDocument.Uri), ToFeature(request.Position)).Select(ToLsp).ToArray();
}

public sealed class ReferencesHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/references", UseSingleObjectParameterDeserialization = true)]
    public Location[] Handle(ReferenceParams request) =>
        CitationNavigation.References(context.Snapshot(), ToPath(request.TextDocument.Uri), ToFeature(request.Position), request.Context.IncludeDeclaration)
            .Select(ToLsp).ToArray();
}

public sealed class PrepareRenameHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/prepareRename", UseSingleObjectParameterDeserialization = true)]
    public PrepareRenameResult? Handle(TextDocumentPositionParams request) =>
        CitationNavigation.PrepareRename(context.Snapshot(), ToPath(request.TextDocument.Uri), ToFeature(request.Position)) is { } at
            ? new PrepareRenameResult(ToLsp(at.Range), at.Key) : null;
}

public sealed class RenameHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/rename", UseSingleObjectParameterDeserialization = true)]
    public WorkspaceEdit? Handle(RenameParams request)
    {
        if (string.IsNullOrWhiteSpace(request.NewName) || request.NewName.Any(c => char.IsWhiteSpace(c) || c is ',' or '{' or '}' or '%'))
            throw new LocalRpcException($"'{request.NewName}' is not a valid citation key") { ErrorCode = LspErrorCodes.InvalidParams };
        var edits = CitationNavigation.Rename(context.Snapshot(), ToPath(request.TextDocument.Uri), ToFeature(request.Position), request.NewName);
        return edits.Count == 0 ? null : ToLsp(edits);
    }
}

public sealed class DocumentSymbolHandler(LspContext context)
{
    [JsonRpcMethod("textDocument/documentSymbol", UseSingleObjectParameterDeserialization = true)]
    public DocumentSymbol[] Handle(DocumentSymbolParams request) =>
        CitationNavigation.DocumentSymbols(context.Snapshot(), ToPath(request.TextDocument.Uri))
            .Select(s => new DocumentSymbol(s.Name, s.Detail, 5, ToLsp(s.Range), ToLsp(s.SelectionRange),
                s.Children.Count == 0 ? null : s.Children.Select(c => new DocumentSymbol(c.Name, c.Detail, 8, ToLsp(c.Range), ToLsp(c.SelectionRange))).ToArray()))
            .ToArray();
}

public sealed class WorkspaceSymbolHandler(LspContext context)
{
    [JsonRpcMethod("workspace/symbol", UseSingleObjectParameterDeserialization = true)]
    public SymbolInformation[] Handle(WorkspaceSymbolParams request) =>
        CitationNavigation.WorkspaceSymbols(context.Snapshot(), request.Query)
            .Select(s => new SymbolInformation($"{s.Name}: {s.Detail}", 5, ToLsp(s.Location))).ToArray();
}
