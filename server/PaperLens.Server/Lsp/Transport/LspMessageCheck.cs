using System.Text.Json;
using PaperLens.Server.Lsp.Protocol;
using StreamJsonRpc;

namespace PaperLens.Server.Lsp.Transport;

/// <summary>Why a message body was refused. <see cref="Reply"/> is false for notifications and responses, which get no answer.</summary>
public sealed record LspRejection(int Code, string Message, RequestId Id, bool Reply);

/// <summary>
/// Checks a message body before StreamJsonRpc sees it: everything its formatter would fail on (and so drop the connection)
/// is refused here with the JSON-RPC error it deserves. Messages never quote their content back.
/// </summary>
public static class LspMessageCheck
{
    /// <summary>The JSON depth StreamJsonRpc's formatter accepts.</summary>
    public const int MaxDepth = 64;

    /// <summary>Null when the message is fine to hand on.</summary>
    public static LspRejection? Check(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            var why = e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? $"JSON nested deeper than {MaxDepth} levels"
                : $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
            return Refuse(LspErrorCodes.ParseError, "Parse error: " + why);
        }
        using (document) return Check(document.RootElement);
    }

    private static LspRejection? Check(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array) return Refuse(LspErrorCodes.InvalidRequest, "Invalid request: batches are not part of LSP; send one message at a time");
        if (root.ValueKind != JsonValueKind.Object) return Refuse(LspErrorCodes.InvalidRequest, "Invalid request: a message must be a JSON object");

        var id = RequestId.NotSpecified;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (ReadId(idElement) is not { } read) return Refuse(LspErrorCodes.InvalidRequest, "Invalid request: id must be a string or an integer");
            id = read;
        }
        bool hasMethod = root.TryGetProperty("method", out var method);
        bool reply = hasMethod && !id.IsEmpty;
        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"))
            return Refuse(LspErrorCodes.InvalidRequest, "Invalid request: \"jsonrpc\" must be \"2.0\"", id, reply);
        foreach (var name in (ReadOnlySpan<string>)["traceparent", "tracestate"])
            if (root.TryGetProperty(name, out var trace) && trace.ValueKind != JsonValueKind.String)
                return Refuse(LspErrorCodes.InvalidRequest, $"Invalid request: \"{name}\" must be a string", id, reply);

        if (hasMethod)
        {
            if (method.ValueKind != JsonValueKind.String) return Refuse(LspErrorCodes.InvalidRequest, "Invalid request: method must be a string", id, reply);
            if (root.TryGetProperty("params", out var parameters) && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
                return Refuse(LspErrorCodes.InvalidParams, $"Invalid params for {Shorten(method.GetString()!)}: params must be an object or an array", id, reply);
            return null;
        }
        if (root.TryGetProperty("result", out _)) return null;
        if (root.TryGetProperty("error", out var error))
        {
            bool readable = error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt64(out _)
                && error.TryGetProperty("message", out var message) && message.ValueKind is JsonValueKind.String or JsonValueKind.Null;
            return readable ? null : Refuse(LspErrorCodes.InvalidRequest, "Invalid response: error needs an integer code and a message", id, reply: false);
        }
        return Refuse(LspErrorCodes.InvalidRequest, "Invalid request: neither a method nor a result or error", id, reply: true);
    }

    private static RequestId? ReadId(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.String => new RequestId(id.GetString()),
        JsonValueKind.Number when id.TryGetInt64(out long n) => new RequestId(n),
        JsonValueKind.Null => RequestId.Null,
        _ => null,
    };

    private static LspRejection Refuse(int code, string message) => new(code, message, RequestId.Null, Reply: true);

    private static LspRejection Refuse(int code, string message, RequestId id, bool reply) =>
        new(code, message, id.IsEmpty ? RequestId.Null : id, reply);

    private static string Shorten(string method) => method.Length <= 80 ? method : method[..80] + "…";
}
