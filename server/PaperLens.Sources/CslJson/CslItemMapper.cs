using System.Text.Json;
using System.Text.RegularExpressions;
using PaperLens.Core;

namespace PaperLens.Sources.CslJson;

/// <summary>Maps one CSL-JSON item to a <see cref="Paper"/>, tolerating missing fields and wrong value types.</summary>
internal static partial class CslItemMapper
{
    /// <summary>The paper, or null with <paramref name="problem"/> set when the item cannot be used.</summary>
    public static Paper? ToPaper(JsonElement item, SourceLocation location, out string? problem)
    {
        problem = null;
        var id = Text(item, "id");
        var title = TextCleanup.Clean(Text(item, "title"));
        if (title == null)
        {
            problem = id != null ? $"CSL item '{id}' has no title, skipped" : "CSL item has no title, skipped";
            return null;
        }
        var key = CitationKey(item, id);
        var doi = Text(item, "DOI");
        var url = Text(item, "URL");
        return new Paper
        {
            Key = key ?? "",
            HasSourceKey = key != null,
            Title = title,
            Authors = Authors(item),
            Year = Year(item),
            Venue = TextCleanup.Clean(Text(item, "container-title") ?? Text(item, "event-title")),
            Abstract = TextCleanup.Clean(Text(item, "abstract")),
            Doi = doi,
            ArxivId = PaperIdentifiers.NormalizeArxivId(Text(item, "arxiv")) ?? ArxivFromNumber(item)
                      ?? PaperIdentifiers.ArxivIdFromDoi(doi) ?? PaperIdentifiers.ArxivIdFromUrl(url),
            Url = url,
            EntryType = EntryType(Text(item, "type")),
            Source = location,
        };
    }

    /// <summary>Better BibTeX's citation-key, else a "Citation Key:" line in the note (Zotero's Extra), else an id that looks like a key.</summary>
    private static string? CitationKey(JsonElement item, string? id)
    {
        var key = Text(item, "citation-key") ?? Text(item, "citationKey");
        if (key == null && Text(item, "note") is { } note && CitationKeyLine().Match(note) is { Success: true } m)
            key = m.Groups[1].Value;
        key ??= id;
        return key != null && LooksLikeKey(key) ? key.Trim() : null;
    }

    /// <summary>Zotero ids such as "http://zotero.org/users/1/items/AB12" or plain numbers are not citation keys.</summary>
    private static bool LooksLikeKey(string id) =>
        id.Length is > 0 and <= 100 && !id.Any(char.IsWhiteSpace) && !id.Contains('/') && !id.All(char.IsDigit);

    private static string? ArxivFromNumber(JsonElement item) =>
        Text(item, "number") is { } number && number.Contains("arxiv", StringComparison.OrdinalIgnoreCase)
            ? PaperIdentifiers.NormalizeArxivId(number)
            : null;

    private static IReadOnlyList<PersonName> Authors(JsonElement item)
    {
        if (!item.TryGetProperty("author", out var authors) || authors.ValueKind != JsonValueKind.Array) return [];
        var names = new List<PersonName>();
        foreach (var a in authors.EnumerateArray())
        {
            if (a.ValueKind != JsonValueKind.Object) continue;
            var family = Text(a, "family");
            if (family != null)
            {
                var particle = Text(a, "non-dropping-particle");
                var suffix = Text(a, "suffix");
                family = (particle != null ? particle + " " : "") + family + (suffix != null ? ", " + suffix : "");
                var given = Text(a, "given");
                var dropping = Text(a, "dropping-particle");
                names.Add(new PersonName(family.Trim(), (given + (dropping != null ? " " + dropping : "")).Trim()));
            }
            else if ((Text(a, "literal") ?? Text(a, "given")) is { } literal)
                names.Add(new PersonName(literal.Trim()));
        }
        return names;
    }

    /// <summary>issued: {"date-parts": [[2020, 5]]}, {"raw": "2020-05"}, {"literal": "Spring 2020"}, or a plain string.</summary>
    private static int? Year(JsonElement item)
    {
        if (!item.TryGetProperty("issued", out var issued)) return null;
        if (issued.ValueKind == JsonValueKind.String) return YearIn(issued.GetString());
        if (issued.ValueKind != JsonValueKind.Object) return null;
        if (issued.TryGetProperty("date-parts", out var parts) && parts.ValueKind == JsonValueKind.Array
            && parts.GetArrayLength() > 0 && parts[0] is { ValueKind: JsonValueKind.Array } first && first.GetArrayLength() > 0)
        {
            var y = first[0];
            if (y.ValueKind == JsonValueKind.Number && y.TryGetInt32(out var year)) return year;
            if (y.ValueKind == JsonValueKind.String && int.TryParse(y.GetString(), out year)) return year;
        }
        return YearIn(Text(issued, "raw") ?? Text(issued, "literal"));
    }

    private static int? YearIn(string? text) =>
        text != null && YearPattern().Match(text) is { Success: true } m ? int.Parse(m.Value) : null;

    private static string EntryType(string? cslType) => cslType switch
    {
        "article-journal" or "article-magazine" or "article-newspaper" => "article",
        "paper-conference" => "inproceedings",
        "book" => "book",
        "chapter" => "incollection",
        "thesis" => "phdthesis",
        "report" => "techreport",
        "manuscript" => "unpublished",
        _ => "misc",
    };

    /// <summary>A string property, or a number written as text; null when missing, empty or of another type.</summary>
    private static string? Text(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v)) return null;
        var s = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(s) ? null : s;
    }

    [GeneratedRegex(@"(?<![0-9])(1[5-9][0-9][0-9]|20[0-9][0-9])(?![0-9])")] // [0-9]: \d also matches other scripts' digits
    private static partial Regex YearPattern();

    // [ \t], not \s: \s also matches newlines, and then each line start backtracks over every blank line after it.
    [GeneratedRegex(@"^[ \t]*Citation Key:[ \t]*(\S+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex CitationKeyLine();
}
