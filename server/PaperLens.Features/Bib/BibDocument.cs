using PaperLens.Sources.BibTex;

namespace PaperLens.Features.Bib;

/// <summary>
/// An immutable, parsed .bib file: its entries in file order, its syntax errors and its repeated keys.
/// Parse it again on each edit: entries map to papers only when asked.
/// </summary>
public sealed class BibDocument
{
    /// <summary>Keys compare as BibTeX does: case-insensitively.</summary>
    public static readonly StringComparer KeyComparer = StringComparer.OrdinalIgnoreCase;

    private readonly Dictionary<string, BibDocumentEntry> _firstByKey;

    private BibDocument(
        string path, string text, List<BibDocumentEntry> entries, List<BibSyntaxError> errors,
        List<BibDuplicateKey> duplicates, Dictionary<string, BibDocumentEntry> firstByKey, LinePosition end)
    {
        Path = path;
        Text = text;
        Entries = entries;
        Errors = errors;
        Duplicates = duplicates;
        _firstByKey = firstByKey;
        End = end;
    }

    public string Path { get; }
    public string Text { get; }
    public IReadOnlyList<BibDocumentEntry> Entries { get; }
    public IReadOnlyList<BibSyntaxError> Errors { get; }
    public IReadOnlyList<BibDuplicateKey> Duplicates { get; }
    /// <summary>The position just past the last char of the text.</summary>
    public LinePosition End { get; }

    public static BibDocument Parse(string path, string text)
    {
        var lines = new LineMap(text);
        var entries = new List<BibDocumentEntry>();
        var errors = new List<BibSyntaxError>();
        var duplicates = new List<BibDuplicateKey>();
        var firstByKey = new Dictionary<string, BibDocumentEntry>(KeyComparer);
        foreach (var item in BibParser.Parse(text, path))
        {
            switch (item)
            {
                case BibEntry entry:
                    var added = ToEntry(entry);
                    entries.Add(added);
                    if (!firstByKey.TryAdd(added.Key, added))
                        duplicates.Add(new BibDuplicateKey(added, firstByKey[added.Key]));
                    break;
                case BibError error:
                    var start = LineMap.From(error.Start);
                    errors.Add(new BibSyntaxError(new LineRange(start, lines.LineEnd(start.Line)), error.Message));
                    break;
            }
        }
        return new BibDocument(path, text, entries, errors, duplicates, firstByKey, lines.End);
    }

    /// <summary>The first entry with this key (compared as <see cref="KeyComparer"/>), or null.</summary>
    public BibDocumentEntry? Find(string key) => _firstByKey.GetValueOrDefault(key);

    /// <summary>The entry whose text holds <paramref name="position"/> (from its '@' to just past its closing delimiter), or null.</summary>
    public BibDocumentEntry? EntryAt(LinePosition position)
    {
        // Entries are in file order and do not overlap: find the last one starting at or before the position.
        int lo = 0, hi = Entries.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (LinePositions.Compare(Entries[mid].Range.Start, position) <= 0) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found >= 0 && Entries[found].Range.Touches(position) ? Entries[found] : null;
    }

    /// <summary>The entry whose key <paramref name="position"/> is on (either end included), or null.</summary>
    public BibDocumentEntry? KeyAt(LinePosition position) =>
        EntryAt(position) is { } entry && entry.KeyRange.Touches(position) ? entry : null;

    private static BibDocumentEntry ToEntry(BibEntry entry)
    {
        var fields = new BibFieldRange[entry.Fields.Count];
        for (int i = 0; i < fields.Length; i++)
        {
            var field = entry.Fields[i];
            fields[i] = new BibFieldRange(field.Name, field.Value, LineMap.Span(field.NameStart, field.Name.Length),
                new LineRange(LineMap.From(field.ValueStart), LineMap.From(field.ValueEnd)));
        }
        return new BibDocumentEntry(
            entry, LineMap.Span(entry.KeyStart, entry.Key.Length), new LineRange(LineMap.From(entry.Start), LineMap.From(entry.End)), fields);
    }
}
