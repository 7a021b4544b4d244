using PaperLens.Core;
using PaperLens.Sources.BibTex;

namespace PaperLens.Features.Bib;

/// <summary>An entry of a .bib file as the editor sees it: its key and type, where they are, and the paper it maps to.</summary>
public sealed class BibDocumentEntry(
    BibEntry entry, LineRange keyRange, LineRange range, IReadOnlyList<BibFieldRange> fields)
{
    // Mapping to a paper converts LaTeX, which costs more than parsing: done once, when first asked for.
    private readonly Lazy<Paper> _paper = new(() => BibTexReader.ToPaper(entry));

    public string Key => entry.Key;
    /// <summary>The lowercase entry type (article, inproceedings…).</summary>
    public string Type => entry.Type;
    public LineRange KeyRange { get; } = keyRange;
    /// <summary>From the '@' to just past the closing delimiter.</summary>
    public LineRange Range { get; } = range;
    public IReadOnlyList<BibFieldRange> Fields { get; } = fields;
    public Paper Paper => _paper.Value;

    public override string ToString() => $"@{Type}{{{Key}}} at {Range.Start.Line + 1}";
}

/// <summary>A field of an entry: its (lowercase) name, where the name is, and where the value is as written (delimiters included).</summary>
public sealed record BibFieldRange(string Name, string Value, LineRange NameRange, LineRange ValueRange)
{
    /// <summary>From the field name to the end of its value.</summary>
    public LineRange Range => new(NameRange.Start, ValueRange.End);
}

/// <summary>A malformed entry, skipped: where the parser gave up (to the end of that line) and why.</summary>
public sealed record BibSyntaxError(LineRange Range, string Message);

/// <summary>A key defined again in the same file: the later key's range, and the 0-based line of the first definition.</summary>
public sealed record BibDuplicateKey(BibDocumentEntry Entry, BibDocumentEntry First)
{
    public string Message => $"duplicate key '{Entry.Key}', first defined at line {First.KeyRange.Start.Line + 1}";
}
