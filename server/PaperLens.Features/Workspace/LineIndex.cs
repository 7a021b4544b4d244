namespace PaperLens.Features;

/// <summary>Converts between UTF-16 offsets and editor positions for one text. Positions past a line's end clamp to it.</summary>
public sealed class LineIndex
{
    private readonly int[] _lineStarts;
    private readonly int _length;

    public LineIndex(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        _lineStarts = starts.ToArray();
        _length = text.Length;
    }

    public int LineCount => _lineStarts.Length;

    public int OffsetOf(LinePosition position)
    {
        if (position.Line < 0) return 0;
        if (position.Line >= _lineStarts.Length) return _length;
        int start = _lineStarts[position.Line];
        int end = position.Line + 1 < _lineStarts.Length ? _lineStarts[position.Line + 1] - 1 : _length;
        return start + Math.Clamp(position.Column, 0, end - start);
    }

    public LinePosition PositionOf(int offset)
    {
        offset = Math.Clamp(offset, 0, _length);
        int line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new LinePosition(line, offset - _lineStarts[line]);
    }

    public LineRange RangeOf(int start, int length) => new(PositionOf(start), PositionOf(start + length));
}
