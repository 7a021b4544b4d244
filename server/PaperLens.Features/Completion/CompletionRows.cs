using System.Globalization;
using PaperLens.Core;

namespace PaperLens.Features.Completion;

/// <summary>
/// How a suggested key reads in the completion list: "Surname et al. Year — Title" beside the key, and the source short
/// (refs.bib, corpus), so a list of DOI or generated keys can be scanned without opening each row.
/// </summary>
public static class CompletionRows
{
    /// <summary>"Vaswani et al. 2017 — Attention Is All You Need", whole: the editor cuts it to the width it has.</summary>
    public static string Detail(Paper paper)
    {
        string byline = Byline(paper);
        return byline.Length == 0 ? paper.Title : paper.Title.Length == 0 ? byline : byline + " — " + paper.Title;
    }

    /// <summary>"Vaswani", "Vaswani and Shazeer" or "Vaswani et al.", then the year; empty when neither is known.</summary>
    public static string Byline(Paper paper)
    {
        var surnames = paper.Authors.Select(a => a.Family.Length > 0 ? a.Family : a.Given).Where(n => n.Length > 0).ToList();
        string authors = surnames.Count switch
        {
            0 => "",
            1 => surnames[0],
            2 => surnames[0] + " and " + surnames[1],
            _ => surnames[0] + " et al.",
        };
        string year = paper.Year?.ToString(CultureInfo.InvariantCulture) ?? "";
        return string.Join(' ', new[] { authors, year }.Where(p => p.Length > 0));
    }

    /// <summary>The right-hand column: "✓ cited · refs.bib", "refs.bib" or "corpus".</summary>
    public static string Source(CitationCompletionItem item)
    {
        string source = item.InBibliography && item.Paper.Source.File.Length > 0 ? Path.GetFileName(item.Paper.Source.File) : "corpus";
        return item.Cited ? "✓ cited · " + source : source;
    }

    /// <summary>The paper as in a hover; a corpus paper says which bibliography accepting it adds the entry to.</summary>
    public static string Documentation(Paper paper, string? addToBib, string? why = null)
    {
        string markdown = PaperMarkdown.Render(paper) + (why is null ? "" : $"\n\n*Why:* {why}");
        return addToBib is null ? markdown : markdown + $"\n\nNot in your bibliography yet: accepting adds it to `{Path.GetFileName(addToBib)}`.";
    }
}
