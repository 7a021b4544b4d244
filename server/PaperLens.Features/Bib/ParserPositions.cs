using PaperLens.Sources.BibTex;

namespace PaperLens.Features.Bib;

/// <summary>The parser's 1-based positions (columns in UTF-16 chars) as editor positions.</summary>
internal static class ParserPositions
{
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
