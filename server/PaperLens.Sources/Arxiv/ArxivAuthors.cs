using System.Text.Json;
using System.Text.RegularExpressions;
using PaperLens.Core;

namespace PaperLens.Sources.Arxiv;

/// <summary>Author names of an arXiv record: from authors_parsed ([["Smith","A.",""],…]) when present, else from the authors string.</summary>
internal static partial class ArxivAuthors
{
    public static IReadOnlyList<PersonName> From(JsonElement record)
    {
        var parsed = FromParsed(record);
        if (parsed.Count > 0) return parsed;
        var authors = ArxivJsonlReader.Text(record, "authors");
        return authors != null ? FromText(authors) : [];
    }

    private static List<PersonName> FromParsed(JsonElement record)
    {
        var names = new List<PersonName>();
        if (!record.TryGetProperty("authors_parsed", out var list) || list.ValueKind != JsonValueKind.Array) return names;
        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() == 0) continue;
            string Part(int i) => i < entry.GetArrayLength() && entry[i].ValueKind == JsonValueKind.String
                ? TextCleanup.CollapseWhitespace(entry[i].GetString()!) : "";
            var family = Part(0);
            if (family.Length == 0) continue;
            var suffix = Part(2);
            names.Add(new PersonName(suffix.Length > 0 ? $"{family}, {suffix}" : family, Part(1)));
        }
        return names;
    }

    /// <summary>"A. Smith, B. Jones and C. Lee": the last word of each name is taken as the family name.</summary>
    internal static List<PersonName> FromText(string authors)
    {
        var names = new List<PersonName>();
        foreach (var raw in Separators().Split(TextCleanup.CollapseWhitespace(authors)))
        {
            var name = Affiliation().Replace(raw, "").Trim();
            if (name.Length == 0) continue;
            int space = name.LastIndexOf(' ');
            names.Add(space < 0 ? new PersonName(name) : new PersonName(name[(space + 1)..], name[..space]));
        }
        return names;
    }

    [GeneratedRegex(@",\s*(?:and\s+)?|\s+and\s+")]
    private static partial Regex Separators();

    // "(1) Univ. X" affiliations and "((1))" markers that the authors string sometimes carries.
    [GeneratedRegex(@"\([^()]*(?:\([^()]*\))?[^()]*\)")]
    private static partial Regex Affiliation();
}
