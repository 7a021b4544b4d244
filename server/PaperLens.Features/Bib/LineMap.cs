using PaperLens.Sources.BibTex;

namespace PaperLens.Features.Bib;

/// <summary>
/// Where the lines of a text start and end, for ranges the parser does not give (an error's line end, the end of
/// the file). Line breaks are "\n", "\r\n" and a lone "\r", as in the parser and in LSP.
/// </summary>
internal sealed class LineMap
{
    private readonly string _text;
    private readonly List<int> _starts = [0];

    public LineMap(string text)
    {
        _text = text;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
                _starts.Add(i + 1);
        }
    }

    public int LineCount => _starts.Count;

    /// <summary>The position just past the last char.</summary>
    public LinePosition End => new(_starts.Count - 1, _text.Length - _starts[^1]);

    /// <summary>The position just past the last char of <paramref name="line"/>, before its line break.</summary>
    public LinePosition LineEnd(int line)
    {
        int end = line + 1 < _starts.Count ? _starts[line + 1] : _text.Length;
        while (end > _starts[line] && _text[end - 1] is '\n' or '\r') end--;
        return new LinePosition(line, end - _starts[line]);
    }

    /// <summary>The parser's 1-based position (columns in UTF-16 chars) as a 0-based one.</summary>
    public static LinePosition From(TextPosition p) => new(p.Line - 1, p.Column - 1);

    /// <summary>A range on one line, <paramref name="length"/> chars long from <paramref name="start"/>.</summary>
    public static LineRange Span(TextPosition start, int length)
    {
        var begin = From(start);
        return new LineRange(begin, begin with { Column = begin.Column + length });
    }
}

/// <summary>Ordering and containment for <see cref="LinePosition"/> and <see cref="LineRange"/>.</summary>
internal static class LinePositions
{
    public static int Compare(LinePosition a, LinePosition b) =>
        a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column);

    /// <summary>True when <paramref name="p"/> is in <paramref name="range"/>, both ends included (a cursor just after a key is on it).</summary>
    public static bool Touches(this LineRange range, LinePosition p) =>
        Compare(range.Start, p) <= 0 && Compare(p, range.End) <= 0;
}
