using System.Collections.Concurrent;
using System.IO.Pipelines;
using Serilog;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using StreamJsonRpc.Reflection;

namespace PaperLens.Server.Lsp.Transport;

/// <summary>
/// LSP's header-delimited transport, except that a response to no request of ours is dropped with a log line:
/// StreamJsonRpc would take it as a protocol violation and end the connection.
/// </summary>
public sealed class LspMessageHandler(PipeWriter writer, PipeReader reader, IJsonRpcMessageFormatter formatter)
    : HeaderDelimitedMessageHandler(writer, reader, formatter)
{
    private readonly ConcurrentDictionary<RequestId, byte> _awaiting = new();

    protected override void Write(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        if (content is JsonRpcRequest { IsResponseExpected: true } request) _awaiting[request.RequestId] = 0;
        base.Write(content, cancellationToken);
    }

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
            if (message is not (JsonRpcResult or JsonRpcError) || _awaiting.TryRemove(((IJsonRpcMessageWithId)message).RequestId, out _)) return message;
            Log.Warning("Dropped a client response to no request of the server's");
            if (this is IJsonRpcMessageBufferManager buffers) buffers.DeserializationComplete(message); // releases the read buffer
        }
    }
}
