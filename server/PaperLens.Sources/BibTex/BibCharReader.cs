using System.Buffers;
using System.Text;

namespace PaperLens.Sources.BibTex;

/// <summary>Reads chars from a <see cref="TextReader"/> through a buffer, with look-ahead and line/column tracking.</summary>
internal sealed class BibCharReader(TextReader text)
{
    public const int Eof = -1;

    private char[] _buffer = new char[1 << 16];
    private int _pos;
    private int _len;
    private bool _drained;

    public int Line { get; private set; } = 1;
    public int Column { get; private set; } = 1;
    public TextPosition Position => new(Line, Column);

    /// <summary>The char <paramref name="ahead"/> places after the current one, or <see cref="Eof"/>.</summary>
    public int Peek(int ahead = 0)
    {
        if (_pos + ahead >= _len && !Fill(ahead + 1)) return Eof;
        return _buffer[_pos + ahead];
    }

    public int Read()
    {
        if (_pos >= _len && !Fill(1)) return Eof;
        char c = _buffer[_pos++];
        if (c == '\n' || (c == '\r' && Peek() != '\n'))
        {
            Line++;
            Column = 1;
        }
        else
        {
            Column++;
        }
        return c;
    }

    /// <summary>
    /// Appends the chars before the next one in <paramref name="stops"/> (which must hold '\n' and '\r')
    /// to <paramref name="sb"/>, as far as the buffer goes: a fast path for long values.
    /// </summary>
    public void CopyUntil(SearchValues<char> stops, StringBuilder sb)
    {
        if (_pos >= _len && !Fill(1)) return;
        var available = _buffer.AsSpan(_pos, _len - _pos);
        int n = available.IndexOfAny(stops);
        if (n < 0) n = available.Length;
        sb.Append(available[..n]);
        _pos += n;
        Column += n;
    }

    /// <summary>Makes at least <paramref name="count"/> chars available from the current one; false when the text ends first.</summary>
    private bool Fill(int count)
    {
        if (_drained) return _pos + count <= _len;
        if (_pos > 0)
        {
            Array.Copy(_buffer, _pos, _buffer, 0, _len - _pos);
            _len -= _pos;
            _pos = 0;
        }
        if (count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(count, _buffer.Length * 2));
        while (_len < count)
        {
            int n = text.Read(_buffer, _len, _buffer.Length - _len);
            if (n == 0) { _drained = true; break; }
            _len += n;
        }
        return _len >= count;
    }
}
