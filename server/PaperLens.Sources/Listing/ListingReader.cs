using PaperLens.Core;

namespace PaperLens.Sources.Listing;

/// <summary>
/// Reads a plain-text paper listing, such as a copied "daily papers" page: each paper is a title line, a blank
/// line, then an abstract paragraph. A title is a single short line followed by a long paragraph; page chrome
/// (menus, dates, buttons) is short lines not followed by one, and is skipped.
/// </summary>
public sealed class ListingReader : IPaperReader
{
    private const int MaxTitleLength = 300;
    private const int MinAbstractLength = 100;
    private const int MinAbstractWords = 15;
    private const int MaxParagraphLength = 1024 * 1024;

    public IEnumerable<Paper> Read(string path, TextReader text, Action<SourceProblem> report)
    {
        Paragraph? previous = null;
        foreach (var paragraph in Paragraphs(new LineReader(text), path, report))
        {
            if (previous is { } title && IsTitle(title) && IsAbstractAfter(paragraph, title))
            {
                yield return new Paper
                {
                    Title = title.Lines[0],
                    Abstract = string.Join(' ', paragraph.Lines),
                    Source = new SourceLocation(path, title.Line),
                };
                previous = null;
            }
            else previous = paragraph;
        }
    }

    /// <summary>Consecutive non-blank lines, trimmed, with the 1-based line of the first.</summary>
    private sealed class Paragraph(int line, string first)
    {
        public int Line { get; } = line;
        public List<string> Lines { get; } = [first];
        public int Length { get; private set; } = first.Length;
        public bool CutShort { get; set; }

        public void Add(string line)
        {
            Lines.Add(line);
            Length += line.Length + 1;
        }
    }

    private static bool IsTitle(Paragraph p) =>
        p.Lines.Count == 1 && p.Lines[0].Length <= MaxTitleLength && p.Lines[0].Any(char.IsLetter);

    private static bool IsAbstractAfter(Paragraph p, Paragraph title) =>
        p.Length >= MinAbstractLength && p.Length > title.Length * 3 / 2 && WordCount(p) >= MinAbstractWords;

    private static int WordCount(Paragraph p) =>
        p.Lines.Sum(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);

    private static IEnumerable<Paragraph> Paragraphs(LineReader lines, string path, Action<SourceProblem> report)
    {
        Paragraph? current = null;
        while (lines.TryRead(out var line, out var tooLong))
        {
            if (tooLong)
                report(new SourceProblem(new SourceLocation(path, lines.LineNumber), "line too long, cut short"));
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                if (current != null) yield return current;
                current = null;
            }
            else if (current == null) current = new Paragraph(lines.LineNumber, trimmed);
            else if (current.Length + trimmed.Length <= MaxParagraphLength) current.Add(trimmed);
            else if (!current.CutShort)
            {
                current.CutShort = true;
                report(new SourceProblem(new SourceLocation(path, lines.LineNumber), "paragraph too long, cut short"));
            }
        }
        if (current != null) yield return current;
    }
}
