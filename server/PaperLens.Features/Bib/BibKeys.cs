namespace PaperLens.Features.Bib;

/// <summary>What makes a citation key valid, and how to make one unique.</summary>
public static class BibKeys
{
    // Chars that end a key or confuse BibTeX, biber or \cite.
    private const string Forbidden = ",{}()\"#%'=\\~@";

    public static bool IsValid(string key) =>
        key.Length > 0 && !key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || Forbidden.Contains(c));

    /// <summary><paramref name="key"/> without the chars a key cannot hold; "paper" when nothing is left.</summary>
    public static string Sanitize(string key)
    {
        string clean = string.Concat(key.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c) && !Forbidden.Contains(c)));
        return clean.Length == 0 ? "paper" : clean;
    }

    /// <summary><paramref name="key"/> if <paramref name="isTaken"/> says it is free, else the first free of key+a, key+b, … key+z, key+aa, …</summary>
    public static string Unique(string key, Func<string, bool> isTaken)
    {
        if (!isTaken(key)) return key;
        for (int n = 1; ; n++)
        {
            string candidate = key + Letters(n);
            if (!isTaken(candidate)) return candidate;
        }
    }

    /// <summary>1 → "a", 26 → "z", 27 → "aa": bijective base 26.</summary>
    private static string Letters(int n)
    {
        var letters = new Stack<char>();
        for (; n > 0; n = (n - 1) / 26) letters.Push((char)('a' + (n - 1) % 26));
        return string.Concat(letters);
    }
}
