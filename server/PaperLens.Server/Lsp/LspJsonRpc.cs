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
            if (e is JsonException or RemoteSerializationException or ArgumentNullException or NullReferenceException && IsFromParameters(e))
                return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InvalidParams, Message = $"Invalid params for {request.Method}: {e.Message}" };
        }
        Serilog.Log.Warning(exception, "{Method} failed", request.Method);
        return base.CreateErrorDetails(request, exception);
    }

    // A null reference while converting or reading params (e.g. a missing field) is the client's mistake, not ours.
    private static bool IsFromParameters(Exception e) => e is not NullReferenceException || e.StackTrace?.Contains("LspConvert") == true;
}
