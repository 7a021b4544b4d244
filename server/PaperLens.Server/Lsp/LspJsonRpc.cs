using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace PaperLens.Server.Lsp;

/// <summary>JsonRpc that answers params it cannot read with InvalidParams (-32602) instead of a generic error.</summary>
internal sealed class LspJsonRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
{
    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // Params are read with required and non-null members enforced, so a bad shape surfaces here as a JsonException.
            if (e is JsonException or RemoteSerializationException)
                return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InvalidParams, Message = $"Invalid params for {request.Method}: {e.Message}" };
        }
        Serilog.Log.Warning(exception, "{Method} failed", request.Method);
        return base.CreateErrorDetails(request, exception);
    }
}
