using System.Text.Json;

namespace PaperLens.Server.Lsp.Protocol;

/// <summary>#completionParams</summary>
public sealed record CompletionParams(TextDocumentIdentifier TextDocument, Position Position) : TextDocumentPositionParams(TextDocument, Position)
{
    public CompletionContext? Context { get; init; }
}

/// <summary>TriggerKind: 1 invoked, 2 trigger character, 3 re-trigger for incomplete.</summary>
public sealed record CompletionContext(int TriggerKind, string? TriggerCharacter = null);

public sealed record CompletionList(bool IsIncomplete, CompletionItem[] Items);

/// <summary>#completionItem. Kind 18 = Reference.</summary>
public sealed record CompletionItem
{
    public required string Label { get; init; }
    public int Kind { get; init; } = 18;
    public string? Detail { get; init; }
    public MarkupContent? Documentation { get; init; }
    public string? SortText { get; init; }
    public string? FilterText { get; init; }
    public TextEdit? TextEdit { get; init; }
    public LspCommand? Command { get; init; }
    public CompletionItemLabelDetails? LabelDetails { get; init; }
    public int[]? Tags { get; init; }
    public bool? Preselect { get; init; }
    /// <summary>Kept by the client and sent back with completionItem/resolve: here the document and key (<see cref="CompletionItemData"/>).</summary>
    public JsonElement? Data { get; init; }
}

/// <summary>What a completion item carries for its resolve: the document completed in and the item's key.</summary>
public sealed record CompletionItemData(string Uri, string Key);

public sealed record CompletionItemLabelDetails(string? Detail = null, string? Description = null);

/// <summary>#hover</summary>
public sealed record Hover(MarkupContent Contents, Range? Range = null);

/// <summary>#codeActionParams</summary>
public sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext Context);

public sealed record CodeActionContext(ContextDiagnostic[] Diagnostics, string[]? Only = null);

/// <summary>A diagnostic as a client sends it back in a code-action context: every field but range and message is optional, and code may be a number.</summary>
public sealed record ContextDiagnostic(Range Range, string Message, int? Severity = null, JsonElement? Code = null, string? Source = null, JsonElement? Data = null)
{
    public string? CodeText => Code is { ValueKind: JsonValueKind.String } code ? code.GetString() : Code?.ToString();
}

/// <summary>#codeAction</summary>
public sealed record CodeAction
{
    public required string Title { get; init; }
    public string? Kind { get; init; }
    public ContextDiagnostic[]? Diagnostics { get; init; }
    public WorkspaceEdit? Edit { get; init; }
    public LspCommand? Command { get; init; }
    public bool? IsPreferred { get; init; }
}

public sealed record ReferenceParams(TextDocumentIdentifier TextDocument, Position Position, ReferenceContext Context) : TextDocumentPositionParams(TextDocument, Position);

public sealed record ReferenceContext(bool IncludeDeclaration);

public sealed record RenameParams(TextDocumentIdentifier TextDocument, Position Position, string NewName) : TextDocumentPositionParams(TextDocument, Position);

public sealed record PrepareRenameResult(Range Range, string Placeholder);

/// <summary>#documentSymbol. Kind 5 = Class, 8 = Field, 15 = String.</summary>
public sealed record DocumentSymbol(string Name, string? Detail, int Kind, Range Range, Range SelectionRange, DocumentSymbol[]? Children = null);

public sealed record DocumentSymbolParams(TextDocumentIdentifier TextDocument);

public sealed record WorkspaceSymbolParams(string Query);

/// <summary>#symbolInformation</summary>
public sealed record SymbolInformation(string Name, int Kind, Location Location, string? ContainerName = null);

public sealed record ExecuteCommandParams(string Command, JsonElement[]? Arguments = null);

/// <summary>#workspace_applyEdit</summary>
public sealed record ApplyWorkspaceEditParams(string Label, WorkspaceEdit Edit);

public sealed record ApplyWorkspaceEditResult(bool Applied, string? FailureReason = null);
