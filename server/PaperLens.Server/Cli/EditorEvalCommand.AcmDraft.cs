using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PaperLens.Features.Bib;

namespace PaperLens.Server.Cli;

/// <summary>A citation context of an ACM-CR citing paper: its section and sentences, citation markers ("[3]", "[5, 9]") in place.</summary>
public sealed record AcmContext(string Id, string Section, IReadOnlyList<string> Sentences);

/// <summary>
/// An ACM-CR citing paper as its topics file (data/topics+qrels/papers/*/*.xml) gives it: title, abstract, the citation
/// contexts, and the reference list (marker number → DOI or URL, lowercased).
/// </summary>
public sealed record AcmCitingPaper(string Doi, string Title, string Abstract, IReadOnlyList<AcmContext> Contexts, IReadOnlyDictionary<string, string> References)
{
    public static AcmCitingPaper Read(XDocument xml)
    {
        var root = xml.Root!;
        string Text(XElement? e) => e?.Value.Trim() ?? "";
        var contexts = root.Descendants("context")
            .Select(c => new AcmContext((string?)c.Attribute("id") ?? "", (string?)c.Attribute("section") ?? "", c.Elements("s").Select(s => s.Value.Trim()).ToList()))
            .ToList();
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in root.Descendants("reference"))
            if ((string?)r.Attribute("id") is { } id) references.TryAdd(id, r.Value.Trim().ToLowerInvariant());
        return new AcmCitingPaper(Text(root.Element("doi")).ToLowerInvariant(), Text(root.Element("title")), Text(root.Element("abstract")), contexts, references);
    }
}

public static partial class EditorEvalCommand
{
    /// <summary>
    /// The citing paper as a LaTeX draft, the editor's view of it: title, abstract, each context a paragraph under its
    /// section, every marker a <c>\cite</c> of the references' keys (<paramref name="keyOfReference"/>; a reference outside
    /// the collection gets a key of its own that no entry has). ACM-CR gives only the paragraphs that cite, so this is the
    /// draft less its other paragraphs.
    /// </summary>
    public static string AcmDraftText(AcmCitingPaper paper, Func<string, string?> keyOfReference)
    {
        var sb = new StringBuilder("\\documentclass{article}\n");
        sb.Append("\\title{").Append(BibLatex.Escape(paper.Title)).Append("}\n\\begin{document}\n\\maketitle\n");
        if (paper.Abstract.Length > 0) sb.Append("\\begin{abstract}\n").Append(BibLatex.Escape(paper.Abstract)).Append("\n\\end{abstract}\n");
        string? section = null;
        foreach (var context in paper.Contexts)
        {
            if (context.Section != section && context.Section.Length > 0) sb.Append("\n\\section{").Append(BibLatex.Escape(context.Section)).Append("}\n");
            section = context.Section;
            sb.Append('\n').AppendJoin(' ', context.Sentences.Select(s => WithCitations(s, paper.References, keyOfReference))).Append('\n');
        }
        return sb.Append("\n\\end{document}\n").ToString();
    }

    /// <summary>A sentence with its numeric markers as <c>\cite</c> commands ("[3, 5-7]" cites 3, 5, 6 and 7), the rest escaped.</summary>
    private static string WithCitations(string sentence, IReadOnlyDictionary<string, string> references, Func<string, string?> keyOfReference)
    {
        var sb = new StringBuilder(sentence.Length + 32);
        int at = 0;
        foreach (Match m in AcmMarker().Matches(sentence))
        {
            sb.Append(BibLatex.Escape(sentence[at..m.Index]));
            var keys = MarkerNumbers(m.Groups[1].Value)
                .Select(n => references.TryGetValue(n, out var r) ? keyOfReference(r) ?? "acmcr-ref-" + n : "acmcr-ref-" + n)
                .Distinct(BibDocument.KeyComparer);
            sb.Append("\\cite{").AppendJoin(',', keys).Append('}');
            at = m.Index + m.Length;
        }
        return sb.Append(BibLatex.Escape(sentence[at..])).ToString();
    }

    private static IEnumerable<string> MarkerNumbers(string inside)
    {
        foreach (var part in inside.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split(['-', '–'], StringSplitOptions.TrimEntries);
            if (range is [var a, var b] && int.TryParse(a, out int from) && int.TryParse(b, out int to) && from <= to && to - from < 50)
                for (int n = from; n <= to; n++) yield return n.ToString();
            else yield return part;
        }
    }

    [GeneratedRegex(@"\[(\d+(?:\s*[,\-–]\s*\d+)*)\]")] private static partial Regex AcmMarker();
}
