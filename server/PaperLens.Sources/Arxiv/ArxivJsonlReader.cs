using System.Text.Json;
using System.Text.RegularExpressions;
using PaperLens.Core;

namespace PaperLens.Sources.Arxiv;

/// <summary>
/// Reads the arXiv metadata snapshot (Kaggle "arxiv-metadata-oai-snapshot.json"): JSON Lines, one record per line.
/// Streams line by line; a broken line is reported with its number and skipped.
/// </summary>
public sealed partial class ArxivJsonlReader : IPaperReader
{
    public IEnumerable<Paper> Read(string path, TextReader text, Action<SourceProblem> report)
    {
        var lines = new LineReader(text);
        while (lines.TryRead(out var line, out var tooLong))
        {
            var location = new SourceLocation(path, lines.LineNumber);
            if (tooLong)
            {
                report(new SourceProblem(location, $"line longer than {LineReader.DefaultMaxLength / (1024 * 1024)} MB, skipped"));
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            var paper = Parse(line, location, report);
            if (paper != null) yield return paper;
        }
    }

    private static Paper? Parse(string line, SourceLocation location, Action<SourceProblem> report)
    {
        try
        {
            using var doc = JsonDocument.Parse(JsonEscapes.WithoutLoneSurrogates(line));
            var record = doc.RootElement;
            if (record.ValueKind != JsonValueKind.Object)
            {
                report(new SourceProblem(location, "arXiv record is not a JSON object, skipped"));
                return null;
            }
            var id = Text(record, "id");
            var title = TextCleanup.CleanLatex(Text(record, "title"));
            if (title == null)
            {
                report(new SourceProblem(location, $"arXiv record {id ?? "without id"} has no title, skipped"));
                return null;
            }
            var journal = TextCleanup.Clean(Text(record, "journal-ref"));
            return new Paper
            {
                Title = title,
                Authors = ArxivAuthors.From(record),
                Year = Year(record),
                Venue = journal,
                Abstract = TextCleanup.CleanLatex(Text(record, "abstract")),
                Doi = Text(record, "doi")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0],
                ArxivId = id,
                Url = id != null ? $"https://arxiv.org/abs/{id}" : null,
                EntryType = journal != null ? "article" : "misc",
                Source = location,
            };
        }
        catch (JsonException ex)
        {
            report(new SourceProblem(location, $"invalid JSON ({ex.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ')}), line skipped"));
            return null;
        }
    }

    /// <summary>Year of the first version ("Mon, 2 Apr 2007 19:18:42 GMT"), else of update_date ("2008-11-13").</summary>
    private static int? Year(JsonElement record)
    {
        if (record.TryGetProperty("versions", out var versions) && versions.ValueKind == JsonValueKind.Array)
            foreach (var v in versions.EnumerateArray())
                if (v.ValueKind == JsonValueKind.Object && YearIn(Text(v, "created")) is { } year)
                    return year;
        return YearIn(Text(record, "update_date"));
    }

    private static int? YearIn(string? text) =>
        text != null && YearPattern().Match(text) is { Success: true } m ? int.Parse(m.Value) : null;

    internal static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()
            : null;

    [GeneratedRegex(@"(?<![0-9])(19|20)[0-9][0-9](?![0-9])")] // [0-9]: \d also matches other scripts' digits
    private static partial Regex YearPattern();
}
