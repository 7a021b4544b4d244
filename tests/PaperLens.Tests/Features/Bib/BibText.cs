using PaperLens.Features;
using PaperLens.Features.Bib;

namespace PaperLens.Tests.Features.Bib;

/// <summary>Test-side offset ↔ position arithmetic (lines split on "\n"), independent of the code under test.</summary>
internal static class BibText
{
    public static LinePosition PositionOf(string text, int offset)
    {
        int line = 0, lineStart = 0;
        for (int i = 0; i < offset; i++)
            if (text[i] == '\n') { line++; lineStart = i + 1; }
        return new LinePosition(line, offset - lineStart);
    }

    public static int OffsetOf(string text, LinePosition position)
    {
        int offset = 0;
        for (int line = 0; line < position.Line; line++) offset = text.IndexOf('\n', offset) + 1;
        return offset + position.Column;
    }

    /// <summary>The range of the <paramref name="occurrence"/>-th (0-based) <paramref name="part"/> in <paramref name="text"/>.</summary>
    public static LineRange RangeOf(string text, string part, int occurrence = 0)
    {
        int at = -1;
        for (int n = 0; n <= occurrence; n++)
        {
            at = text.IndexOf(part, at + 1, StringComparison.Ordinal);
            Assert.True(at >= 0, $"'{part}' #{occurrence} not in the text");
        }
        return new LineRange(PositionOf(text, at), PositionOf(text, at + part.Length));
    }

    public static string TextOf(string text, LineRange range) =>
        text[OffsetOf(text, range.Start)..OffsetOf(text, range.End)];

    /// <summary>Applies edits (non-overlapping) from the last to the first.</summary>
    public static string Apply(string text, IEnumerable<BibTextEdit> edits)
    {
        foreach (var edit in edits.OrderByDescending(e => OffsetOf(text, e.Range.Start)))
            text = text[..OffsetOf(text, edit.Range.Start)] + edit.NewText + text[OffsetOf(text, edit.Range.End)..];
        return text;
    }
}
