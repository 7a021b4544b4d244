using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace PaperLens.Features.Ranking;

/// <summary>A draft's citations grouped by paragraph (blank-line delimited), with where each paragraph starts; built once per version.</summary>
internal sealed partial class DraftCitationGroups
{
    private static readonly ConditionalWeakTable<DraftDocument, DraftCitationGroups> Cache = new();

    public required IReadOnlyList<(int Start, int End, HashSet<string> Keys)> Paragraphs { get; init; }
    public required IReadOnlyDictionary<string, int> Counts { get; init; }

    public static DraftCitationGroups Of(DraftDocument draft) => Cache.GetValue(draft, Build);

    private static DraftCitationGroups Build(DraftDocument draft)
    {
        var breaks = Blank().Matches(draft.Text).Select(m => m.Index).Append(draft.Text.Length).ToList();
        var paragraphs = new List<(int, int, HashSet<string>)>();
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        int b = 0, start = 0;
        HashSet<string>? current = null;
        foreach (var citation in draft.Info.Citations.OrderBy(c => c.Span.Start))
        {
            while (b < breaks.Count - 1 && breaks[b] <= citation.Span.Start) { start = breaks[b]; b++; current = null; }
            if (current is null) { current = new(StringComparer.OrdinalIgnoreCase); paragraphs.Add((start, breaks[b], current)); }
            foreach (var key in citation.Keys)
            {
                current.Add(key.Key);
                counts[key.Key] = counts.GetValueOrDefault(key.Key) + 1;
            }
        }
        return new DraftCitationGroups { Paragraphs = paragraphs, Counts = counts };
    }

    [GeneratedRegex(@"\n[ \t]*\r?\n")] private static partial Regex Blank();
}
