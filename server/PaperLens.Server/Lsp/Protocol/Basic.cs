using System.Text.Json;
using System.Text.Json.Serialization;

// Hand-written LSP 3.17 types for what PaperLens uses.
// Spec: https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/
// Property names are camelCase through LspJson.Options; null properties are left out.
namespace PaperLens.Server.Lsp.Protocol;

/// <summary>Serializer settings shared by the transport and the tests.</summary>
public static class LspJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}

/// <summary>Zero-based line and UTF-16 character offset. #position</summary>
public sealed record Position(int Line, int Character);

/// <summary>#range</summary>
public sealed record Range(Position Start, Position End);

/// <summary>#location</summary>
public sealed record Location(string Uri, Range Range);

public sealed record TextDocumentIdentifier(string Uri);

public sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

/// <summary>#textDocumentItem</summary>
public sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

/// <summary>#textDocumentPositionParams</summary>
public record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);

/// <summary>#textEdit</summary>
public sealed record TextEdit(Range Range, string NewText);

/// <summary>#workspaceEdit</summary>
public sealed record WorkspaceEdit(Dictionary<string, TextEdit[]> Changes);

/// <summary>#markupContent</summary>
public sealed record MarkupContent(string Kind, string Value)
{
    public static MarkupContent Markdown(string value) => new("markdown", value);
}

/// <summary>#command</summary>
public sealed record LspCommand(string Title, string Command, JsonElement[]? Arguments = null);

/// <summary>Error codes from the spec (#errorCodes).</summary>
public static class LspErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int ServerNotInitialized = -32002;
    public const int RequestCancelled = -32800;
    public const int ContentModified = -32801;
}
