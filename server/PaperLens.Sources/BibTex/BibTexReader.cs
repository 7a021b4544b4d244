using PaperLens.Core;

namespace PaperLens.Sources.BibTex;

/// <summary>Reads papers from a .bib file: parses it with <see cref="BibParser"/> and maps each entry to a <see cref="Paper"/>.</summary>
public sealed class BibTexReader : IPaperReader
{
    public IEnumerable<Paper> Read(string path, TextReader text, Action<SourceProblem> report)
    {
        var firstLineOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstOfFoldedKey = new Dictionary<string, (string Key, int Line)>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in BibParser.Parse(text, path))
        {
            switch (item)
            {
                case BibError error:
                    report(new SourceProblem(new SourceLocation(path, error.Start.Line), error.Message));
                    break;
                case BibEntry entry when firstLineOfKey.TryGetValue(entry.Key, out int firstLine):
                    report(new SourceProblem(new SourceLocation(path, entry.Start.Line),
                        $"duplicate key '{entry.Key}', first defined at line {firstLine}; this entry is skipped"));
                    break;
                case BibEntry entry:
                    // BibTeX folds case and keeps the first entry; biber (\addbibresource) keeps both: so do we, and say so.
                    if (firstOfFoldedKey.TryGetValue(entry.Key, out var clash))
                        report(new SourceProblem(new SourceLocation(path, entry.Start.Line),
                            $"key '{entry.Key}' differs only in case from '{clash.Key}' at line {clash.Line}: BibTeX takes them for one key " +
                            "and uses the first entry, biber (\\addbibresource) keeps both"));
                    else firstOfFoldedKey[entry.Key] = (entry.Key, entry.Start.Line);
                    firstLineOfKey[entry.Key] = entry.Start.Line;
                    yield return ToPaper(entry);
                    break;
            }
        }
    }

    /// <summary>Maps one parsed entry to a paper, converting LaTeX to plain text.</summary>
    public static Paper ToPaper(BibEntry entry)
    {
        string? eprint = entry.Get("eprint");
        string? archive = entry.GetFirst("archiveprefix", "eprinttype");
        bool eprintIsArxiv = archive?.Contains("arxiv", StringComparison.OrdinalIgnoreCase) == true;
        string? url = entry.Get("url");
        string? arxivId = (eprintIsArxiv && eprint != null ? PaperIdentifiers.ParseArxivId(eprint) : null)
            ?? PaperIdentifiers.FindArxivId(url) ?? PaperIdentifiers.FindArxivId(eprint);
        // "journal = {arXiv preprint arXiv:…}" is free text, often pasted onto the wrong entry: shown, not trusted.
        string? journalArxivId = arxivId == null ? PaperIdentifiers.FindArxivId(entry.GetFirst("journal", "journaltitle")) : null;

        return new Paper
        {
            Key = entry.Key,
            HasSourceKey = true,
            Title = LatexText.ToUnicode(entry.Get("title")),
            Authors = BibNames.Parse(entry.GetFirst("author", "editor")),
            Year = FirstYear(entry.Get("year")) ?? FirstYear(entry.Get("date")),
            Venue = Text(entry.GetFirst("journal", "journaltitle", "booktitle", "series", "publisher")),
            Abstract = Text(entry.Get("abstract")),
            Doi = PaperIdentifiers.NormalizeDoi(entry.Get("doi")),
            ArxivId = arxivId ?? journalArxivId,
            ArxivIdFromText = journalArxivId != null,
            Url = PaperIdentifiers.NormalizeUrl(url),
            EntryType = entry.Type,
            Source = new SourceLocation(entry.File, entry.Start.Line),
        };
    }

    private static string? Text(string? latex)
    {
        string text = LatexText.ToUnicode(latex);
        return text.Length == 0 ? null : text;
    }

    /// <summary>The first run of exactly four digits, as a year.</summary>
    private static int? FirstYear(string? value)
    {
        if (value == null) return null;
        for (int i = 0; i + 4 <= value.Length; i++)
        {
            if (i > 0 && char.IsAsciiDigit(value[i - 1])) continue;
            if (value.AsSpan(i, 4).ContainsAnyExceptInRange('0', '9')) continue;
            if (i + 4 < value.Length && char.IsAsciiDigit(value[i + 4])) continue;
            return int.Parse(value.AsSpan(i, 4));
        }
        return null;
    }
}
