namespace PaperLens.Features;

/// <summary>
/// Converts between UTF-16 offsets and editor positions for one text. Line breaks are "\n", "\r\n" and a lone "\r",
/// as LSP counts them. Positions past a line's end clamp to it.
/// </summary>
public sealed class LineIndex
{
    private readonly string _text;
    private readonly List<int> _starts = [0];

    public LineIndex(string text)
    {
        _text = text;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
                _starts.Add(i + 1);
        }
    }

    /// <summary>The position just past the last character.</summary>
    public LinePosition End => new(_starts.Count - 1, _text.Length - _starts[^1]);

    /// <summary>The position just past the last character of <paramref name="line"/>, before its line break.</summary>
    public LinePosition LineEnd(int line) => new(line, LineEndOffset(line) - _starts[line]);

    public int OffsetOf(LinePosition position)
    {
        if (position.Line < 0) return 0;
        if (position.Line >= _starts.Count) return _text.Length;
        int start = _starts[position.Line];
        return start + Math.Clamp(position.Column, 0, LineEndOffset(position.Line) - start);
    }

    public LinePosition PositionOf(int offset)
    {
        offset = Math.Clamp(offset, 0, _text.Length);
        int line = _starts.BinarySearch(offset);
        if (line < 0) line = ~line - 1;
        return new LinePosition(line, offset - _starts[line]);
    }

    public LineRange RangeOf(int start, int length) => new(PositionOf(start), PositionOf(start + length));

    private int LineEndOffset(int line)
    {
        int end = line + 1 < _starts.Count ? _starts[line + 1] : _text.Length;
        while (end > _starts[line] && _text[end - 1] is '\n' or '\r') end--;
        return end;
    }
}
