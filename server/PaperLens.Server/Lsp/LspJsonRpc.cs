using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace PaperLens.Server.Lsp;

/// <summary>
/// JsonRpc whose error replies are short: params it cannot read get InvalidParams (-32602), any other failure a one-line
/// message. No reply carries a .NET stack trace (error.data); the stack goes to the log file.
/// </summary>
internal sealed class LspJsonRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
{
    private const int MaxMessageLength = 200;

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        var method = request.Method ?? "request";
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is LocalRpcException rpc) return Detail((JsonRpcErrorCode)rpc.ErrorCode, rpc.Message);
            if (e is OperationCanceledException) return Detail(JsonRpcErrorCode.RequestCanceled, "Request cancelled");
            // Params are read with required and non-null members enforced, so a bad shape surfaces here as a JsonException.
            if (e is JsonException or RemoteSerializationException) return Detail(JsonRpcErrorCode.InvalidParams, $"Invalid params for {method}: {e.Message}");
        }
        Serilog.Log.Error(exception, "{Method} failed", method);
        var inner = exception is System.Reflection.TargetInvocationException or AggregateException && exception.InnerException is { } cause ? cause : exception;
        return Detail(JsonRpcErrorCode.InternalError, $"PaperLens could not answer {method} ({inner.GetType().Name}); details are in the log file");
    }

    private static JsonRpcError.ErrorDetail Detail(JsonRpcErrorCode code, string message)
    {
        var line = message.Split('\n', 2)[0].TrimEnd('\r');
        return new JsonRpcError.ErrorDetail { Code = code, Message = line.Length <= MaxMessageLength ? line : line[..MaxMessageLength] + "…" };
    }
}
