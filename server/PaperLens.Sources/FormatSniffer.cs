using System.Text.Json;

namespace PaperLens.Sources;

/// <summary>Tells a file's format from its extension, looking at its first bytes where the extension is ambiguous or unknown.</summary>
internal static class FormatSniffer
{
    private const int MaxSniffChars = 1024 * 1024;

    /// <summary>The format implied by the extension alone; .json is CSL-JSON until sniffed. Null for other extensions.</summary>
    public static SourceFormat? FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".bib" or ".bibtex" => SourceFormat.BibTex,
        ".json" => SourceFormat.CslJson,
        ".jsonl" or ".ndjson" => SourceFormat.ArxivJsonl,
        ".txt" => SourceFormat.Listing,
        _ => null,
    };

    /// <summary>The format of a file found in a folder or by a glob; null when its extension is not a source's.</summary>
    public static SourceFormat? ForListedFile(string path)
    {
        var format = FromExtension(path);
        return format == SourceFormat.CslJson ? SniffJson(path) ?? format : format;
    }

    /// <summary>
    /// The format of a file the user named: by extension, else by content ('@' → BibTeX, '[' → CSL-JSON,
    /// '{' → arXiv JSONL or CSL-JSON). Null when it cannot be told.
    /// </summary>
    public static SourceFormat? ForNamedFile(string path)
    {
        var format = ForListedFile(path);
        if (format != null) return format;
        return FirstChar(path) switch
        {
            '@' => SourceFormat.BibTex,
            '[' => SourceFormat.CslJson,
            '{' => SniffJson(path),
            _ => null,
        };
    }

    /// <summary>A file with a complete JSON object on one of its first two lines is JSON Lines; another '[' or '{' file is CSL-JSON.</summary>
    private static SourceFormat? SniffJson(string path)
    {
        try
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            var lines = new LineReader(reader, MaxSniffChars);
            int seen = 0;
            while (seen < 2 && lines.TryRead(out var line, out var tooLong))
            {
                var trimmed = line.Trim();
                if (trimmed.Length == 0) continue;
                if (seen++ == 0 && trimmed[0] != '{') return trimmed[0] == '[' ? SourceFormat.CslJson : null;
                // One broken first record should not hide JSON Lines, so the second line counts too.
                if (!tooLong && trimmed[0] == '{' && IsJsonObject(trimmed)) return SourceFormat.ArxivJsonl;
            }
            return seen > 0 ? SourceFormat.CslJson : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable: reading it later reports the problem.
        }
        return null;
    }

    private static bool IsJsonObject(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static char? FirstChar(string path)
    {
        try
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[4096];
            int n;
            while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
                foreach (var c in buffer.AsSpan(0, n))
                    if (!char.IsWhiteSpace(c)) return c;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
