namespace PaperLens.Core;

/// <summary>
/// Makes BibTeX-style citation keys (surname + year + first significant title word) for papers that have none,
/// and makes all keys unique. Deterministic: the same papers in the same order get the same keys.
/// </summary>
public static class CitationKeys
{
    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "the", "on", "of", "for", "in", "to", "with", "and", "or", "towards", "toward", "via",
        "is", "are", "be", "by", "at", "as", "from", "into", "onto", "its", "it", "do", "does", "can",
        "we", "our", "how", "what", "why", "when", "which", "this", "that", "these", "not", "no", "vs", "versus",
        "using", "through", "about", "over", "under", "between", "all", "new",
    ];

    private const int MaxWordLength = 20;

    /// <summary>
    /// The key a paper would get before clashes are resolved, e.g. "smith2020deep". Without author and year it is the first
    /// significant title word and a short suffix derived from the whole title ("tracking-4kx"), which stays the same on every
    /// run and never reads as two glued words.
    /// </summary>
    public static string BaseKey(Paper paper)
    {
        var surname = Surname(paper.Authors);
        var year = paper.Year is int y and > 0 ? y.ToString() : "";
        var word = SignificantWords(paper.Title).FirstOrDefault();
        string key;
        if (surname.Length > 0)
            key = surname + year + word;
        else if (year.Length > 0 || word is null)
            key = word + year;
        else
            key = word + "-" + TitleSuffix(paper.Title);
        return key.Length > 0 ? key : "paper";
    }

    /// <summary>Three base-36 characters from a stable (FNV-1a) hash of the title's folded words.</summary>
    private static string TitleSuffix(string title)
    {
        uint hash = 2166136261;
        foreach (var word in title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            foreach (char c in AsciiFold.ToKeyPart(word)) hash = (hash ^ c) * 16777619;
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var suffix = new char[3];
        for (int i = 0; i < suffix.Length; i++, hash /= 36) suffix[i] = digits[(int)(hash % 36)];
        return new string(suffix);
    }

    /// <summary>
    /// Returns the papers in the same order, each with a unique key. Source keys are kept (a repeated one gets a
    /// letter suffix and loses <see cref="Paper.HasSourceKey"/>); other papers get a generated key that never
    /// collides with a source key: smith2020deep, smith2020deepa, smith2020deepb, …
    /// </summary>
    public static IReadOnlyList<Paper> Assign(IEnumerable<Paper> papers)
    {
        var list = papers as IReadOnlyList<Paper> ?? papers.ToList();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var sourceKeys = new HashSet<string>(StringComparer.Ordinal);
        var result = new Paper[list.Count];
        var needsKey = new List<int>();

        // Source keys that differ only in case are two keys for biber (BibTeX folds them): both are kept.
        for (int i = 0; i < list.Count; i++)
        {
            var p = list[i];
            if (p.HasSourceKey && p.Key.Length > 0 && sourceKeys.Add(p.Key)) { taken.Add(p.Key); result[i] = p; }
            else needsKey.Add(i);
        }

        var nextSuffix = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var i in needsKey)
        {
            var p = list[i];
            bool repeatedSourceKey = p.HasSourceKey && p.Key.Length > 0;
            var baseKey = repeatedSourceKey ? p.Key : BaseKey(p);
            result[i] = p with { Key = Unique(baseKey, taken, nextSuffix), HasSourceKey = false };
        }
        return result;
    }

    private static string Unique(string baseKey, HashSet<string> taken, Dictionary<string, int> nextSuffix)
    {
        nextSuffix.TryGetValue(baseKey, out var n);
        while (true)
        {
            var candidate = n == 0 ? baseKey : baseKey + Suffix(n);
            n++;
            if (taken.Add(candidate))
            {
                nextSuffix[baseKey] = n;
                return candidate;
            }
        }
    }

    /// <summary>1 → "a", 26 → "z", 27 → "aa", 28 → "ab", …</summary>
    private static string Suffix(int n)
    {
        var chars = new Stack<char>();
        while (n > 0)
        {
            n--;
            chars.Push((char)('a' + n % 26));
            n /= 26;
        }
        return new string(chars.ToArray());
    }

    /// <summary>First author's family name without leading particles or suffix ("van der Berg, Jr" → "berg"), folded to a-z0-9.</summary>
    private static string Surname(IReadOnlyList<PersonName> authors)
    {
        if (authors.Count == 0) return "";
        var family = authors[0].Family.Split(',')[0];
        var parts = family.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return AsciiFold.ToKeyPart(authors[0].Given);
        int start = 0;
        while (start < parts.Length - 1 && char.IsLower(parts[start][0])) start++;
        var surname = AsciiFold.ToKeyPart(string.Concat(parts[start..]));
        if (surname.Length == 0) surname = AsciiFold.ToKeyPart(authors[0].Given);
        return surname.Length > MaxWordLength ? surname[..MaxWordLength] : surname;
    }

    /// <summary>Title words folded to a-z0-9 ("E^2-LLM:" → "e2llm"), stop words and empty words skipped.</summary>
    private static IEnumerable<string> SignificantWords(string title)
    {
        foreach (var raw in title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = AsciiFold.ToKeyPart(raw);
            if (word.Length == 0 || StopWords.Contains(word)) continue;
            yield return word.Length > MaxWordLength ? word[..MaxWordLength] : word;
        }
    }
}
