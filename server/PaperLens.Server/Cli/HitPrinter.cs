using System.Text.Json;
using System.Text.Json.Serialization;
using PaperLens.Index;

namespace PaperLens.Server.Cli;

/// <summary>Prints ranked papers as a readable list or as JSON, on stdout.</summary>
public static class HitPrinter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Print(IReadOnlyList<SearchHit> hits, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(hits.Select((h, i) => new
            {
                rank = i + 1, key = h.Paper.Paper.Key, title = h.Paper.Paper.Title,
                authors = h.Paper.Paper.Authors.Select(a => a.ToString()), year = h.Paper.Paper.Year, venue = h.Paper.Paper.Venue,
                doi = h.Paper.Paper.Doi, arxivId = h.Paper.Paper.ArxivId, url = h.Paper.Paper.Url,
                score = Math.Round(h.Score, 6), lexical = h.Lexical is { } l ? Math.Round(l, 4) : (double?)null, lexicalRank = h.LexicalRank,
                semantic = h.Semantic is { } s ? Math.Round(s, 4) : (double?)null, semanticRank = h.SemanticRank,
                source = $"{h.Paper.Paper.Source.File}:{h.Paper.Paper.Source.Line}",
                @abstract = h.Paper.Paper.Abstract,
            }), Json));
            return;
        }
        if (hits.Count == 0) { Console.Out.WriteLine("No papers found."); return; }
        for (int i = 0; i < hits.Count; i++)
        {
            var h = hits[i];
            var p = h.Paper.Paper;
            string year = p.Year is { } y ? $" ({y})" : "";
            Console.Out.WriteLine($"{i + 1,2}. {p.Title}{year}");
            string parts = $"bm25 {(h.Lexical is { } l ? $"{l:G3} #{h.LexicalRank}" : "-")}, cosine {(h.Semantic is { } s ? $"{s:F3} #{h.SemanticRank}" : "-")}";
            Console.Out.WriteLine($"    [{p.Key}] score {h.Score:F4} ({parts})");
            if (p.Authors.Count > 0)
                Console.Out.WriteLine($"    {string.Join(", ", p.Authors.Take(4))}{(p.Authors.Count > 4 ? " et al." : "")}");
        }
    }
}
