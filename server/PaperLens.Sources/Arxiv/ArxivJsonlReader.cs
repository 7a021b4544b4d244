using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using PaperLens.Core;

namespace PaperLens.Sources.Arxiv;

/// <summary>
/// Reads the arXiv metadata snapshot (Kaggle "arxiv-metadata-oai-snapshot.json"): JSON Lines, one record per line.
/// Streams a batch of lines at a time, parsed on all cores and handed on in file order; a broken line is reported
/// with its number, in order, and skipped.
/// </summary>
public sealed partial class ArxivJsonlReader : IPaperReader
{
    /// <summary>Lines parsed together: at most this many, and no more characters than <see cref="BatchChars"/> in all.</summary>
    private const int BatchLines = 1024;
    private const int BatchChars = 2 * 1024 * 1024;

    public IEnumerable<Paper> Read(string path, TextReader text, Action<SourceProblem> report)
    {
        var lines = new LineReader(text);
        var batch = new List<(string Line, int Number, bool TooLong)>(BatchLines);
        var parsed = new (Paper? Paper, SourceProblem? Problem)[BatchLines];
        while (true)
        {
            batch.Clear();
            long chars = 0;
            // A read error ends the file after the lines read before it: those are handed on first.
            ExceptionDispatchInfo? failure = null;
            try
            {
                while (batch.Count < BatchLines && chars < BatchChars && lines.TryRead(out var line, out var tooLong))
                {
                    batch.Add((line, lines.LineNumber, tooLong));
                    chars += line.Length;
                }
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
            int count = batch.Count;
            if (count == 0)
            {
                failure?.Throw();
                yield break;
            }
            if (count > 64) Parallel.For(0, count, i => parsed[i] = ParseLine(path, batch[i]));
            else for (int i = 0; i < count; i++) parsed[i] = ParseLine(path, batch[i]);
            batch.Clear(); // the lines are garbage now: only the papers are held while they are handed on
            for (int i = 0; i < count; i++)
            {
                var (paper, problem) = parsed[i];
                parsed[i] = default;
                if (problem != null) report(problem);
                if (paper != null) yield return paper;
            }
            failure?.Throw();
        }
    }

    private static (Paper?, SourceProblem?) ParseLine(string path, (string Line, int Number, bool TooLong) line)
    {
        var location = new SourceLocation(path, line.Number);
        if (line.TooLong) return (null, new SourceProblem(location, $"line longer than {LineReader.DefaultMaxLength / (1024 * 1024)} MB, skipped"));
        return string.IsNullOrWhiteSpace(line.Line) ? (null, null) : Parse(line.Line, location);
    }

    private static (Paper?, SourceProblem?) Parse(string line, SourceLocation location)
    {
        try
        {
            using var doc = JsonDocument.Parse(JsonEscapes.WithoutLoneSurrogates(line));
            var record = doc.RootElement;
            if (record.ValueKind != JsonValueKind.Object)
                return (null, new SourceProblem(location, "arXiv record is not a JSON object, skipped"));
            var id = Text(record, "id");
            var title = TextCleanup.CleanLatex(Text(record, "title"));
            if (title == null)
                return (null, new SourceProblem(location, $"arXiv record {id ?? "without id"} has no title, skipped"));
            var journal = TextCleanup.Clean(Text(record, "journal-ref"));
            return (new Paper
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
            }, null);
        }
        catch (JsonException ex)
        {
            return (null, new SourceProblem(location, $"invalid JSON ({ex.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ')}), line skipped"));
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
