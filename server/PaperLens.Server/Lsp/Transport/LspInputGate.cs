using System.Globalization;
using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using PaperLens.Server.Lsp.Protocol;
using Serilog;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace PaperLens.Server.Lsp.Transport;

/// <summary>
/// Stands between the client's bytes and StreamJsonRpc: frames and checks each message, hands the good ones on through
/// a pipe, and answers the bad ones itself through the message handler (so its writes are serialised with StreamJsonRpc's).
/// The connection ends only with the input; the reason is logged.
/// </summary>
public sealed class LspInputGate(Stream input, PipeWriter accepted, IJsonRpcMessageHandler replies)
{
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;

    /// <summary>Why the input ended, once it has.</summary>
    public string? EndReason { get; private set; }

    public void Start() => _pump = Task.Run(PumpAsync);

    private async Task PumpAsync()
    {
        var reader = new LspFrameReader(input);
        try
        {
            while (true)
            {
                var frame = await reader.ReadAsync(_stop.Token);
                if (frame.EndReason is { } end) { EndReason = end; break; }
                var rejection = frame.Body is { } body
                    ? LspMessageCheck.Check(body)
                    : new LspRejection(LspErrorCodes.ParseError, $"Parse error: {frame.HeaderProblem}; skipped to the next message", RequestId.Null, Reply: true);
                if (rejection is null) await ForwardAsync(frame.Body!);
                else await RefuseAsync(rejection);
            }
        }
        catch (OperationCanceledException) { EndReason = "the server stopped"; }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { EndReason = "reading the input failed: " + e.Message; }
        if (EndReason == LspFrameReader.ClosedReason) Log.Information("Client input ended: {Reason}", EndReason);
        else Log.Warning("Client input ended: {Reason}; the session ends", EndReason);
        await accepted.CompleteAsync();
    }

    private async Task ForwardAsync(byte[] body)
    {
        accepted.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n")));
        await accepted.WriteAsync(body, _stop.Token);
    }

    private async Task RefuseAsync(LspRejection rejection)
    {
        Log.Warning("Refused a client message: {Reason}", rejection.Message);
        if (!rejection.Reply) return;
        var error = new JsonRpcError { RequestId = rejection.Id, Error = new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)rejection.Code, Message = rejection.Message } };
        try { await replies.WriteAsync(error, _stop.Token); }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { Log.Debug("Error reply not sent: {Reason}", e.Message); }
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        try { await _pump.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
    }
}
