using System.Text;
using PaperLens.Core;

namespace PaperLens.Features.Bib;

/// <summary>An edit that adds an entry to a .bib file, and the key the entry got.</summary>
public sealed record BibAppend(BibTextEdit Edit, string Key);

/// <summary>Writes papers as BibTeX entries that BibTeX, biber and <see cref="Sources.BibTex.BibParser"/> all read back.</summary>
public static class BibEntryWriter
{
    private static readonly string[] ProceedingsWords =
        ["proceedings", "proc.", "conference", "workshop", "symposium", "congress", "neural information processing systems"];

    private static readonly HashSet<string> ConferenceAcronyms = new(StringComparer.OrdinalIgnoreCase)
    {
        "NeurIPS", "NIPS", "ICML", "ICLR", "CVPR", "ICCV", "ECCV", "ACL", "EMNLP", "NAACL", "COLING", "AAAI", "IJCAI",
        "SIGIR", "KDD", "WWW", "CHI", "UIST", "SIGMOD", "VLDB", "ICSE", "FSE", "PLDI", "POPL", "OSDI", "SOSP", "SIGGRAPH",
    };

    /// <summary>The entry for <paramref name="paper"/> under <paramref name="key"/>, lines ending in "\n", no trailing line break.</summary>
    public static string Format(Paper paper, string key)
    {
        if (!BibKeys.IsValid(key)) throw new ArgumentException($"'{key}' is not a valid citation key", nameof(key));
        string type = EntryType(paper);
        var fields = new List<(string Name, string Value)>();
        if (paper.Authors.Count > 0) fields.Add(("author", string.Join(" and ", paper.Authors.Select(Name))));
        if (!string.IsNullOrWhiteSpace(paper.Title)) fields.Add(("title", "{" + BibLatex.Escape(paper.Title.Trim()) + "}"));
        if (!string.IsNullOrWhiteSpace(paper.Venue)) fields.Add((VenueField(type), BibLatex.Escape(paper.Venue.Trim())));
        if (paper.Year is int year) fields.Add(("year", year.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (!string.IsNullOrWhiteSpace(paper.Doi)) fields.Add(("doi", BibLatex.Verbatim(paper.Doi)));
        if (!string.IsNullOrWhiteSpace(paper.ArxivId))
        {
            fields.Add(("eprint", BibLatex.Verbatim(paper.ArxivId)));
            fields.Add(("archivePrefix", "arXiv"));
        }
        if (!string.IsNullOrWhiteSpace(paper.Url)) fields.Add(("url", BibLatex.Verbatim(paper.Url)));
        if (!string.IsNullOrWhiteSpace(paper.Abstract)) fields.Add(("abstract", BibLatex.Escape(paper.Abstract.Trim())));

        var sb = new StringBuilder();
        sb.Append('@').Append(type).Append('{').Append(key);
        foreach (var (name, value) in fields)
            sb.Append(",\n  ").Append(name).Append(" = {").Append(value).Append('}');
        sb.Append("\n}");
        return sb.ToString();
    }

    /// <summary>
    /// The edit that appends <paramref name="paper"/> to <paramref name="target"/>, separated from what is there by one blank line,
    /// in the file's line-break style. The key is the paper's own (made valid) unless it is in <paramref name="takenKeys"/> or
    /// in the file, then the first free key+a, key+b, … (keys compare ignoring case, as in BibTeX).
    /// </summary>
    public static BibAppend AppendEdit(BibDocument target, Paper paper, IReadOnlySet<string> takenKeys)
    {
        var taken = new HashSet<string>(takenKeys, BibDocument.KeyComparer);
        string key = BibKeys.Unique(BibKeys.Sanitize(paper.Key), k => taken.Contains(k) || target.Find(k) != null);

        string text = target.Text;
        string newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        // The entry starts a line of its own, after a blank line when there is text before it.
        int needed = text.Length == 0 ? 0 : string.IsNullOrWhiteSpace(text) ? 1 : 2;
        string separator = string.Concat(Enumerable.Repeat(newline, Math.Max(0, needed - TrailingLineBreaks(text))));
        string entry = Format(paper, key).Replace("\n", newline, StringComparison.Ordinal);
        return new BibAppend(new BibTextEdit(LineRange.At(target.End), separator + entry + newline), key);
    }

    /// <summary>The paper's entry type; a paper typed "misc" that has a venue becomes an article or a conference paper.</summary>
    public static string EntryType(Paper paper)
    {
        string type = string.IsNullOrWhiteSpace(paper.EntryType) ? "misc" : paper.EntryType.Trim().ToLowerInvariant();
        if (type != "misc" || string.IsNullOrWhiteSpace(paper.Venue)) return type;
        return IsProceedings(paper.Venue) ? "inproceedings" : "article";
    }

    private static bool IsProceedings(string venue) =>
        ProceedingsWords.Any(word => venue.Contains(word, StringComparison.OrdinalIgnoreCase))
        || venue.Split([' ', '\'', '(', ')', ',', ':', '-'], StringSplitOptions.RemoveEmptyEntries).Any(ConferenceAcronyms.Contains);

    /// <summary>The field that holds the venue for this type, one that <see cref="Sources.BibTex.BibTexReader"/> reads back.</summary>
    private static string VenueField(string type) => type switch
    {
        "article" or "misc" or "unpublished" => "journal",
        "inproceedings" or "incollection" or "conference" or "inbook" => "booktitle",
        _ => "publisher",
    };

    /// <summary>"Family, Given", braced where BibTeX would otherwise split it differently.</summary>
    private static string Name(PersonName person)
    {
        string family = BibLatex.Escape(person.Family.Trim());
        string given = BibLatex.Escape(person.Given.Trim());
        if (given.Length == 0)
            return family.Any(c => char.IsWhiteSpace(c) || c == ',') ? "{" + family + "}" : family;
        if (ContainsAnd(family)) family = "{" + family + "}";
        if (given.Contains(',') || ContainsAnd(given)) given = "{" + given + "}";
        return family + ", " + given;
    }

    private static bool ContainsAnd(string s) =>
        s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(word => word.Equals("and", StringComparison.OrdinalIgnoreCase));

    private static int TrailingLineBreaks(string text)
    {
        int count = 0, i = text.Length;
        while (i > 0 && text[i - 1] is '\n' or '\r')
        {
            i -= i > 1 && text[i - 1] == '\n' && text[i - 2] == '\r' ? 2 : 1;
            count++;
        }
        return count;
    }
}
