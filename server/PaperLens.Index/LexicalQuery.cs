using System.Globalization;
using System.Text;

namespace PaperLens.Index;

/// <summary>Turns free user text into a safe FTS5 MATCH expression: quoted terms joined by OR, so FTS5 syntax in the text is never interpreted.</summary>
public static class LexicalQuery
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a","an","and","are","as","at","be","been","but","by","can","could","do","does","for","from","had","has","have","how","however",
        "if","in","into","is","it","its","may","more","most","much","not","of","on","one","or","our","such","than","that","the","their",
        "them","then","there","these","they","this","those","to","was","we","were","what","when","where","which","while","who","whose",
        "why","will","with","would","also","both","each","other","some","so","very","via","using","used","use","based","between","over",
        "under","within","without","about","after","before","all","any","only","own","same","too","here","i","you","he","she","his","her",
    };

    /// <summary>At most <paramref name="maxTerms"/> distinct terms, in order of appearance; with a column, matched in that FTS5 column only.</summary>
    public static string Build(string text, int maxTerms = 64, string? column = null)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(text))
        {
            if (word.Length < 2 && !char.IsDigit(word[0])) continue;
            if (StopWords.Contains(word) || !seen.Add(word)) continue;
            terms.Add(word);
            if (terms.Count == maxTerms) break;
        }
        string expression = string.Join(" OR ", terms.Select(t => "\"" + t + "\""));
        return column is null || expression.Length == 0 ? expression : "{" + column + "} : (" + expression + ")";
    }

    /// <summary>Lowercase runs of letters and digits.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var sb = new StringBuilder();
        foreach (char c in PaperLens.Core.LatexText.WithoutInvalidChars(text).Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            else if (sb.Length > 0) { yield return sb.ToString(); sb.Clear(); }
        }
        if (sb.Length > 0) yield return sb.ToString();
    }
}
