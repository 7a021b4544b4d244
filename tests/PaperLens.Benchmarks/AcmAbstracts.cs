using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace PaperLens.Benchmarks;

/// <summary>
/// A fixed slice of ACM-CR abstracts straight from acm-cr-collection.tar.gz: the first N `abstract = {…}`
/// fields of the .bib files taken in sorted path order. A quick regex, not a BibTeX parser.
/// </summary>
internal static partial class AcmAbstracts
{
    public const string ArchivePath = "acm-cr/acm-cr-collection.tar.gz";

    [GeneratedRegex(@"^\s*abstract\s*=\s*\{(.*)\},?\s*$", RegexOptions.Multiline)]
    private static partial Regex AbstractField();

    public static List<string> Load(string archive, int count)
    {
        var bibFiles = ReadEntries(archive, name => name.EndsWith(".bib", StringComparison.Ordinal), keepText: false)
            .Keys.Order(StringComparer.Ordinal).ToList();
        // Each file holds about a hundred records: read a few more files than that suggests, then widen if short.
        for (int take = Math.Max(8, count / 50); ; take *= 2)
        {
            var wanted = bibFiles.Take(take).ToHashSet();
            var texts = ReadEntries(archive, wanted.Contains, keepText: true);
            var abstracts = wanted.Order(StringComparer.Ordinal)
                .SelectMany(name => AbstractField().Matches(texts[name]).Select(m => m.Groups[1].Value.Trim()))
                .Where(text => text.Length > 0)
                .Take(count)
                .ToList();
            if (abstracts.Count == count || take >= bibFiles.Count)
                return abstracts;
        }
    }

    private static Dictionary<string, string> ReadEntries(string archive, Func<string, bool> include, bool keepText)
    {
        var entries = new Dictionary<string, string>();
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !include(entry.Name))
                continue;
            entries[entry.Name] = keepText && entry.DataStream is { } data ? new StreamReader(data).ReadToEnd() : "";
        }
        return entries;
    }
}
