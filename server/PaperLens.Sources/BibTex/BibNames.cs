using PaperLens.Core;

namespace PaperLens.Sources.BibTex;

/// <summary>Splits BibTeX name lists ("A and B and others") and parses each name the way BibTeX does.</summary>
public static class BibNames
{
    /// <summary>The names in an <c>author</c> or <c>editor</c> value, LaTeX converted; "others" is left out.</summary>
    public static IReadOnlyList<PersonName> Parse(string? names)
    {
        if (string.IsNullOrWhiteSpace(names)) return [];
        var result = new List<PersonName>();
        foreach (var raw in SplitTopLevel(names, isSeparator: IsAndAt))
        {
            var name = raw.Trim();
            if (name.Length == 0 || name.Equals("others", StringComparison.OrdinalIgnoreCase)) continue;
            if (ParseName(name) is { } person) result.Add(person);
        }
        return result;
    }

    /// <summary>One name: "First von Last", "von Last, First" or "von Last, Jr, First".</summary>
    public static PersonName? ParseName(string name)
    {
        var parts = SplitTopLevel(name, isSeparator: (s, i) => s[i] == ',' ? 1 : 0);
        string family, given;
        if (parts.Count == 1)
        {
            (family, given) = SplitFirstVonLast(Words(parts[0]));
        }
        else
        {
            family = parts[0];
            given = parts[^1];
            if (parts.Count > 2) family = $"{parts[0].Trim()}, {parts[1].Trim()}";
        }
        family = LatexText.ToUnicode(family);
        given = LatexText.ToUnicode(given);
        if (family.Length == 0) (family, given) = (given, "");
        return family.Length == 0 ? null : new PersonName(family, given);
    }

    /// <summary>Given names are the words before the first lowercase ("von") word; the last word is always family.</summary>
    private static (string Family, string Given) SplitFirstVonLast(List<string> words)
    {
        if (words.Count == 0) return ("", "");
        int von = words.Count - 1;
        for (int i = 0; i < words.Count - 1; i++)
        {
            if (StartsLowercase(words[i])) { von = i; break; }
        }
        return (string.Join(' ', words[von..]), string.Join(' ', words[..von]));
    }

    /// <summary>BibTeX's case test: the first letter at brace depth 0, or inside a special char like <c>{\"u}</c>.</summary>
    private static bool StartsLowercase(string word)
    {
        for (int i = 0; i < word.Length; i++)
        {
            char c = word[i];
            if (char.IsLetter(c)) return char.IsLower(c);
            if (c != '{') continue;
            if (i + 1 < word.Length && word[i + 1] == '\\') return SpecialCharIsLower(word, i + 2);
            return false; // a braced group at depth 0 has no case
        }
        return false;
    }

    private static bool SpecialCharIsLower(string word, int i)
    {
        int nameStart = i;
        while (i < word.Length && char.IsAsciiLetter(word[i])) i++;
        var command = word.AsSpan(nameStart, i - nameStart);
        if (command is "oe" or "OE" or "ae" or "AE" or "aa" or "AA" or "o" or "O" or "l" or "L" or "ss" or "i" or "j")
            return char.IsLower(command[0]);
        for (; i < word.Length; i++)
            if (char.IsLetter(word[i])) return char.IsLower(word[i]);
        return false;
    }

    private static List<string> Words(string name)
    {
        var words = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i <= name.Length; i++)
        {
            bool end = i == name.Length;
            if (!end && name[i] == '{') depth++;
            else if (!end && name[i] == '}') depth--;
            else if (end || (depth == 0 && (char.IsWhiteSpace(name[i]) || name[i] == '~')))
            {
                if (i > start) words.Add(name[start..i]);
                start = i + 1;
            }
        }
        return words;
    }

    /// <summary>" and " (any case, any whitespace around) at depth 0: the length to skip, or 0.</summary>
    private static int IsAndAt(string s, int i)
    {
        if (!char.IsWhiteSpace(s[i]) || i + 4 >= s.Length) return 0;
        if (!s.AsSpan(i + 1, 3).Equals("and", StringComparison.OrdinalIgnoreCase) || !char.IsWhiteSpace(s[i + 4])) return 0;
        return 5;
    }

    /// <summary>Splits <paramref name="s"/> where <paramref name="isSeparator"/> matches at brace depth 0.</summary>
    private static List<string> SplitTopLevel(string s, Func<string, int, int> isSeparator)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '{') depth++;
            else if (c == '}') depth = Math.Max(0, depth - 1);
            else if (depth == 0 && isSeparator(s, i) is > 0 and var skip)
            {
                parts.Add(s[start..i]);
                start = i + skip;
                i = start - 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }
}
