using System.Text;

namespace PaperLens.Sources;

/// <summary>
/// Reads lines with a bounded length, so one enormous line cannot exhaust memory: the rest of an over-long line
/// is skipped and the line is flagged. Handles \n, \r\n and \r endings.
/// </summary>
internal sealed class LineReader(TextReader text, int maxLineLength = LineReader.DefaultMaxLength)
{
    public const int DefaultMaxLength = 4 * 1024 * 1024;

    private readonly char[] _buffer = new char[64 * 1024];
    private int _pos, _len;
    private bool _pendingCr;

    /// <summary>1-based number of the line last returned by <see cref="TryRead"/>.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads the next line; <paramref name="tooLong"/> says it was cut at the length limit.</summary>
    public bool TryRead(out string line, out bool tooLong)
    {
        var sb = new StringBuilder();
        tooLong = false;
        bool any = false;
        while (true)
        {
            if (_pos == _len)
            {
                _len = text.Read(_buffer, 0, _buffer.Length);
                _pos = 0;
                if (_len == 0)
                {
                    line = sb.ToString();
                    if (any) LineNumber++;
                    return any;
                }
            }
            if (_pendingCr)
            {
                _pendingCr = false;
                if (_buffer[_pos] == '\n') { _pos++; continue; }
            }
            any = true;
            int start = _pos;
            while (_pos < _len && _buffer[_pos] != '\n' && _buffer[_pos] != '\r') _pos++;
            Append(sb, start, _pos - start, ref tooLong);
            if (_pos < _len)
            {
                _pendingCr = _buffer[_pos] == '\r';
                _pos++;
                LineNumber++;
                line = sb.ToString();
                return true;
            }
        }
    }

    private void Append(StringBuilder sb, int start, int count, ref bool tooLong)
    {
        int room = maxLineLength - sb.Length;
        if (count > room) { tooLong = true; count = Math.Max(room, 0); }
        sb.Append(_buffer, start, count);
    }
}
