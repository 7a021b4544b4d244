using System.Text.Json;
using PaperLens.Core;

namespace PaperLens.Sources.CslJson;

/// <summary>
/// Reads CSL-JSON as Zotero and Better BibTeX export it: an array of items. Items are split off one at a time
/// and parsed separately, so a bad item is reported (file and line) and skipped, and a truncated file keeps
/// the items read before the break.
/// </summary>
public sealed class CslJsonReader : IPaperReader
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public IEnumerable<Paper> Read(string path, TextReader text, Action<SourceProblem> report)
    {
        foreach (var element in new JsonArrayScanner(text, path, report).Elements())
        {
            if (element.Json.Length == 0) continue;
            var location = new SourceLocation(path, element.Line);
            if (!element.IsObject)
            {
                report(new SourceProblem(location, "CSL-JSON item is not an object, skipped"));
                continue;
            }
            var paper = Parse(element, location, report);
            if (paper != null) yield return paper;
        }
    }

    private static Paper? Parse(ScannedElement element, SourceLocation location, Action<SourceProblem> report)
    {
        try
        {
            using var doc = JsonDocument.Parse(JsonEscapes.WithoutLoneSurrogates(element.Json), Options);
            var paper = CslItemMapper.ToPaper(doc.RootElement, location, out var problem);
            if (problem != null) report(new SourceProblem(location, problem));
            return paper;
        }
        catch (JsonException ex)
        {
            int line = element.Line + (int)(ex.LineNumber ?? 0);
            report(new SourceProblem(location with { Line = line }, $"invalid JSON in CSL item starting at line {element.Line}: {Reason(ex)}; item skipped"));
            return null;
        }
    }

    /// <summary>The parser's message without its own (item-relative) position.</summary>
    private static string Reason(JsonException ex)
    {
        var message = ex.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
