using System.Text;
using PaperLens.Core;

namespace PaperLens.Features;

/// <summary>How a paper reads in hovers and completion documentation (Markdown).</summary>
public static class PaperMarkdown
{
    public static string Render(Paper paper, bool withAbstract = true, string? sourceNote = null)
    {
        var sb = new StringBuilder();
        sb.Append("**").Append(Escape(paper.Title)).Append("**\n\n");
        var byline = new List<string>();
        if (paper.Authors.Count > 0) byline.Add(Escape(Authors(paper, 6)));
        if (!string.IsNullOrEmpty(paper.Venue)) byline.Add("*" + Escape(paper.Venue) + "*");
        if (paper.Year is { } year) byline.Add(year.ToString());
        if (byline.Count > 0) sb.Append(string.Join(" · ", byline)).Append("\n\n");
        if (withAbstract && !string.IsNullOrWhiteSpace(paper.Abstract)) sb.Append(Escape(paper.Abstract)).Append("\n\n");
        var links = Links(paper).Select(l => $"[{l.Label}]({l.Url})").ToList();
        if (links.Count > 0) sb.Append(string.Join(" · ", links)).Append("\n\n");
        sb.Append('`').Append(paper.Key).Append('`');
        if (sourceNote is not null) sb.Append(" — ").Append(Escape(sourceNote));
        return sb.ToString().TrimEnd();
    }

    public static string Authors(Paper paper, int max) =>
        paper.Authors.Count <= max ? string.Join(", ", paper.Authors) : string.Join(", ", paper.Authors.Take(max)) + " et al.";

    public static string ShortTitle(Paper paper, int max = 60) =>
        paper.Title.Length <= max ? paper.Title : paper.Title[..(max - 1)].TrimEnd() + "…";

    public static string Snippet(Paper paper, int max = 240) =>
        string.IsNullOrEmpty(paper.Abstract) ? "" : paper.Abstract.Length <= max ? paper.Abstract : paper.Abstract[..(max - 1)].TrimEnd() + "…";

    public static IEnumerable<(string Label, string Url)> Links(Paper paper)
    {
        if (paper.Doi is { } doi) yield return ("DOI " + doi, "https://doi.org/" + doi);
        if (paper.ArxivId is { } arxiv) yield return ("arXiv " + arxiv, "https://arxiv.org/abs/" + arxiv);
        if (paper.Url is { } url && !url.Contains("doi.org/") && !url.Contains("arxiv.org/")) yield return ("link", url);
    }

    private static string Escape(string s) => s.Replace("*", "\\*").Replace("_", "\\_").Replace("<", "&lt;");
}
