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
    public static string Build(string text, int maxTerms = 64, string? column = null) => Expression(Terms(text).Take(maxTerms), column);

    /// <summary>Quoted terms joined by OR; with a column (or columns, space-separated), matched there only.</summary>
    public static string Expression(IEnumerable<string> terms, string? column = null)
    {
        string expression = string.Join(" OR ", terms.Select(t => "\"" + t + "\""));
        return column is null || expression.Length == 0 ? expression : "{" + column + "} : (" + expression + ")";
    }

    /// <summary>The distinct words of a text that can be query terms (no stop words, no single letters), in order of appearance.</summary>
    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(text))
        {
            if (word.Length < 2 && !char.IsDigit(word[0])) continue;
            if (StopWords.Contains(word) || !seen.Add(word)) continue;
            terms.Add(word);
        }
        return terms;
    }

    /// <summary>
    /// The few terms of a long text that matter: those the index holds, rarest first (highest IDF), the terms of
    /// <paramref name="focus"/> (the sentence at the cursor) before the rest of <paramref name="text"/>. At most
    /// <paramref name="maxFocus"/> come from the focus and <paramref name="maxTerms"/> in all; a term is left out when it
    /// would lift the summed document frequency (the postings to score) above <paramref name="postingBudget"/>, unless
    /// fewer than <see cref="MinTerms"/> are chosen, and always when it alone is over the budget (a word in a tenth of a
    /// 100k library, a hundred thousand postings at 1M: its IDF is low, and scoring it costs more than all the rest).
    /// Ties keep the order of appearance.
    /// </summary>
    public static List<string> RarestTerms(string text, string? focus, IReadOnlyDictionary<string, long> documentFrequency,
        int maxTerms, int maxFocus, long postingBudget)
    {
        var chosen = new List<string>();
        long postings = 0;
        var focusTerms = focus is null ? [] : Terms(focus);
        Take(focusTerms, maxFocus);
        Take(Terms(text), maxTerms);
        return chosen;

        void Take(List<string> terms, int max)
        {
            var byRarity = terms.Select((t, i) => (Term: t, Df: documentFrequency.GetValueOrDefault(t), Order: i))
                .Where(x => x.Df > 0 && !chosen.Contains(x.Term)).OrderBy(x => x.Df).ThenBy(x => x.Order);
            foreach (var (term, df, _) in byRarity)
            {
                if (chosen.Count >= max) return;
                if (df > postingBudget || (postings + df > postingBudget && chosen.Count >= MinTerms)) continue;
                chosen.Add(term);
                postings += df;
            }
        }
    }

    /// <summary>The fewest terms <see cref="RarestTerms"/> keeps whatever their summed frequency (when the text has them, each within the budget).</summary>
    public const int MinTerms = 2;

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
