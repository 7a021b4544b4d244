namespace PaperLens.Features.Bib;

/// <summary>An outline item: an entry (name = key, kind = entry type) or one of its fields (kind = "field").</summary>
public sealed record BibSymbol(
    string Name, string Detail, string Kind, LineRange Range, LineRange SelectionRange, IReadOnlyList<BibSymbol> Children);

/// <summary>The outline of a .bib file.</summary>
public static class BibSymbols
{
    private const int MaxDetailLength = 60;

    /// <summary>One symbol per entry, in file order; with <paramref name="withFields"/>, its fields as children.</summary>
    public static IReadOnlyList<BibSymbol> For(BibDocument bib, bool withFields = false)
    {
        var symbols = new List<BibSymbol>(bib.Entries.Count);
        foreach (var entry in bib.Entries)
        {
            IReadOnlyList<BibSymbol> children = withFields ? entry.Fields.Select(Field).ToList() : [];
            symbols.Add(new BibSymbol(entry.Key, Detail(entry), entry.Type, entry.Range, entry.KeyRange, children));
        }
        return symbols;
    }

    /// <summary>"Short title (year)", either part left out when missing.</summary>
    private static string Detail(BibDocumentEntry entry)
    {
        string title = Shorten(entry.Paper.Title);
        return entry.Paper.Year is int year ? (title.Length == 0 ? $"({year})" : $"{title} ({year})") : title;
    }

    private static BibSymbol Field(BibFieldRange field) =>
        new(field.Name, Shorten(field.Value.ReplaceLineEndings(" ")), "field", field.Range, field.NameRange, []);

    private static string Shorten(string text) =>
        text.Length <= MaxDetailLength ? text : string.Concat(text.AsSpan(0, MaxDetailLength - 1).TrimEnd(), "…");
}
