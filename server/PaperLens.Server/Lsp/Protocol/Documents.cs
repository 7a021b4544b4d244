namespace PaperLens.Server.Lsp.Protocol;

public sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

public sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

public sealed record DidSaveTextDocumentParams(TextDocumentIdentifier TextDocument);

/// <summary>#didChange: with Range set, an incremental change; without, the full text.</summary>
public sealed record TextDocumentContentChangeEvent(string Text, Range? Range = null);

public sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, TextDocumentContentChangeEvent[] ContentChanges);

/// <summary>#publishDiagnostics</summary>
public sealed record PublishDiagnosticsParams(string Uri, Diagnostic[] Diagnostics, int? Version = null);

/// <summary>#diagnostic. Severity: 1 error, 2 warning, 3 information, 4 hint.</summary>
public sealed record Diagnostic(Range Range, string Message, int Severity, string? Code = null, string Source = "paperlens", object? Data = null);
