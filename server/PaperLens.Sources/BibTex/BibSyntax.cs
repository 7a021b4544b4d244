namespace PaperLens.Sources.BibTex;

/// <summary>A 1-based line and column (columns count UTF-16 chars; a tab is one).</summary>
public readonly record struct TextPosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>One thing <see cref="BibParser"/> found in a .bib file: an entry, a <c>@string</c> macro or an error.</summary>
public abstract record BibItem(string File, TextPosition Start);

/// <summary>
/// A field as written: lowercase name and its value with <c>@string</c> macros expanded, <c>#</c> parts joined
/// and the outer delimiters removed. The value is still LaTeX (see <see cref="PaperLens.Core.LatexText"/>).
/// </summary>
public sealed record BibField(string Name, string Value, TextPosition NameStart, TextPosition ValueStart, TextPosition ValueEnd);

/// <summary>An entry such as <c>@article{key, …}</c>. <see cref="BibItem.Start"/> is its '@'; <see cref="End"/> is just past its closing delimiter.</summary>
public sealed record BibEntry(
    string File, TextPosition Start, string Type, string Key, TextPosition KeyStart,
    IReadOnlyList<BibField> Fields, TextPosition End) : BibItem(File, Start)
{
    /// <summary>The value of the first field with this (lowercase) name, or null.</summary>
    public string? Get(string name)
    {
        foreach (var field in Fields)
            if (field.Name == name) return field.Value;
        return null;
    }

    /// <summary>The value of the first of these fields that is present and not blank, or null.</summary>
    public string? GetFirst(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
            if (Get(name) is { } value && !string.IsNullOrWhiteSpace(value)) return value;
        return null;
    }
}

/// <summary>A <c>@string{name = value}</c> definition; later fields may use the name.</summary>
public sealed record BibMacro(string File, TextPosition Start, string Name, string Value) : BibItem(File, Start);

/// <summary>A malformed entry, skipped. <see cref="BibItem.Start"/> is where the problem is.</summary>
public sealed record BibError(string File, TextPosition Start, string Message) : BibItem(File, Start)
{
    public override string ToString() => $"{File}:{Start.Line}:{Start.Column}: {Message}";
}
