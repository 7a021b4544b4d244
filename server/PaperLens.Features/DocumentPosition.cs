namespace PaperLens.Features;

/// <summary>A zero-based line and UTF-16 column, as editors count them.</summary>
public readonly record struct LinePosition(int Line, int Column);

/// <summary>A range of a file in <see cref="LinePosition"/>s (end exclusive).</summary>
public readonly record struct LineRange(LinePosition Start, LinePosition End)
{
    public static LineRange At(LinePosition p) => new(p, p);
}

/// <summary>A range in a file, by path.</summary>
public sealed record FileRange(string Path, LineRange Range);
