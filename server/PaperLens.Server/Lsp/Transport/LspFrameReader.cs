using System.Globalization;
using System.Text;

namespace PaperLens.Server.Lsp.Transport;

/// <summary>One read from the client: a message body, a header that could not be used (already skipped), or the end of input.</summary>
public sealed record LspFrame(byte[]? Body, string? HeaderProblem = null, string? EndReason = null);

/// <summary>
/// Reads LSP base-protocol frames (headers, a blank line, Content-Length bytes of body) from a stream and never throws for
/// bad bytes. A header it cannot use is reported once, then it skips to the next "Content-Length:" and goes on; only the
/// end of input ends the reading.
/// </summary>
public sealed class LspFrameReader(Stream input)
{
    public const int MaxHeaderBytes = 8 * 1024;
    public const long MaxBodyBytes = 1L << 30;
    public const string ClosedReason = "the client closed its output";
    private static readonly byte[] LengthName = "content-length:"u8.ToArray();

    private byte[] _buffer = new byte[64 * 1024];
    private int _start, _end; // the unread bytes are _buffer[_start.._end)
    private bool _eof;

    public async Task<LspFrame> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            SkipBlankBytes();
            if (_start < _end) break;
            if (!await FillAsync(ct)) return new LspFrame(null, EndReason: ClosedReason);
        }

        int headerLength, blockEnd;
        while ((headerLength = FindBlankLine(out blockEnd)) < 0)
        {
            if (_end - _start > MaxHeaderBytes) return await SkipAsync(_start + 1, $"no end of header within {MaxHeaderBytes} bytes", ct);
            if (!await FillAsync(ct)) return new LspFrame(null, EndReason: "input ended inside a message header");
        }

        var (length, problem, wellFormed) = ParseHeader(Encoding.ASCII.GetString(_buffer, _start, headerLength));
        if (problem is not null) return await SkipAsync(wellFormed ? blockEnd : _start + 1, problem, ct);
        _start = blockEnd;
        return await ReadBodyAsync(length, ct);
    }

    /// <summary>Content-Length from the header lines; a problem when it is missing, repeated differently, negative, not a number or too large.</summary>
    private static (long Length, string? Problem, bool WellFormed) ParseHeader(string header)
    {
        long? length = null;
        foreach (var rawLine in header.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            int colon = line.IndexOf(':');
            if (colon <= 0 || !line[..colon].All(IsTokenChar)) return (0, "not an LSP header (expected 'Content-Length: <bytes>')", false);
            if (!line[..colon].Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue; // Content-Type and others
            var value = line[(colon + 1)..].Trim();
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
                return (0, value.StartsWith('-') ? "negative Content-Length" : "Content-Length is not a number", true);
            if (length is { } earlier && earlier != parsed) return (0, "two different Content-Length headers", true);
            length = parsed;
        }
        if (length is not { } found) return (0, "header without Content-Length", true);
        if (found > MaxBodyBytes) return (0, $"Content-Length {found} is over the limit of {MaxBodyBytes} bytes", true);
        return (found, null, true);
    }

    private static bool IsTokenChar(char c) => c is > ' ' and < (char)127 && "()<>@,;:\\\"/[]?={}".IndexOf(c) < 0;

    /// <summary>The body, grown as its bytes arrive: a header that claims a gigabyte costs memory only for what is sent.</summary>
    private async Task<LspFrame> ReadBodyAsync(long length, CancellationToken ct)
    {
        var body = new byte[Math.Min(length, 1 << 20)];
        int have = (int)Math.Min(length, _end - _start);
        if (have > body.Length) Array.Resize(ref body, have);
        Array.Copy(_buffer, _start, body, 0, have);
        _start += have;
        while (have < length)
        {
            if (have == body.Length) Array.Resize(ref body, (int)Math.Min(length, 2L * body.Length));
            int n = await input.ReadAsync(body.AsMemory(have, body.Length - have), ct);
            if (n == 0) return new LspFrame(null, EndReason: $"input ended inside a message body ({have} of {length} bytes)");
            have += n;
        }
        return new LspFrame(body);
    }

    /// <summary>Drops bytes from <paramref name="from"/> up to the next "Content-Length:" (any case), where reading resumes.</summary>
    private async Task<LspFrame> SkipAsync(int from, string problem, CancellationToken ct)
    {
        _start = Math.Min(from, _end);
        while (true)
        {
            int at = IndexOfLengthName();
            if (at >= 0) { _start = at; return new LspFrame(null, problem); }
            _start = Math.Max(_start, _end - (LengthName.Length - 1)); // a name may straddle two reads
            if (!await FillAsync(ct)) return new LspFrame(null, EndReason: $"{problem}, and no further message header before the end of input");
        }
    }

    private int IndexOfLengthName()
    {
        for (int i = _start; i + LengthName.Length <= _end; i++)
        {
            int j = 0;
            while (j < LengthName.Length && (char)(_buffer[i + j] | 0x20) == LengthName[j]) j++;
            if (j == LengthName.Length) return i;
        }
        return -1;
    }

    /// <summary>The header's length before the first empty line (CRLF or LF line ends), and where the body starts; -1 when not read yet.</summary>
    private int FindBlankLine(out int bodyStart)
    {
        for (int i = _start; i < _end; i++)
        {
            if (_buffer[i] != '\n') continue;
            int next = i + 1;
            if (next < _end && _buffer[next] == '\r') next++;
            if (next < _end && _buffer[next] == '\n')
            {
                bodyStart = next + 1;
                int end = i > _start && _buffer[i - 1] == '\r' ? i - 1 : i;
                return end - _start;
            }
        }
        bodyStart = -1;
        return -1;
    }

    /// <summary>Line ends and spaces between messages are tolerated.</summary>
    private void SkipBlankBytes()
    {
        while (_start < _end && _buffer[_start] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t') _start++;
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_eof) return false;
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int n = await input.ReadAsync(_buffer.AsMemory(_end), ct);
        if (n == 0) { _eof = true; return false; }
        _end += n;
        return true;
    }
}
