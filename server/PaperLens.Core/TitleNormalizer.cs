using System.Text;

namespace PaperLens.Core;

/// <summary>Titles reduced to a comparable form, for finding the same paper in several sources.</summary>
public static class TitleNormalizer
{
    /// <summary>Lowercase, diacritics folded, punctuation and LaTeX braces dropped, whitespace collapsed.</summary>
    public static string Normalize(string title)
    {
        var sb = new StringBuilder(title.Length);
        foreach (var c in title)
        {
            if (char.IsLetterOrDigit(c)) AsciiFold.Append(sb, c);
            else if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
        }
        if (sb.Length > 0 && sb[^1] == ' ') sb.Length--;
        return sb.ToString();
    }

    /// <summary>True when a normalised title is long enough that two papers sharing it are the same paper.</summary>
    public static bool IsDistinctive(string normalizedTitle)
    {
        if (normalizedTitle.Length >= 25) return true;
        int words = 1;
        foreach (var c in normalizedTitle) if (c == ' ') words++;
        return normalizedTitle.Length > 0 && words >= 4;
    }

    /// <summary>
    /// True when two normalised titles can name the same paper, so that a shared DOI or arXiv id is believed:
    /// equal; one a word prefix of the other (a subtitle dropped, "bert" / "bert pre training of …");
    /// more than 80% of their distinct words shared (Dice coefficient: a word added or dropped in a title of 5 or more);
    /// or, from 20 characters, within a few edits (typos: a tenth of the shorter title, at least 2); beyond the prefix rule,
    /// only when both hold the same numbers.
    /// A missing title contradicts nothing. Different papers that wrongly share an identifier have titles far below
    /// these bounds (see <see cref="PaperMerger"/>).
    /// </summary>
    public static bool Agree(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0 || a == b) return true;
        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        if (longer.StartsWith(shorter, StringComparison.Ordinal) && longer[shorter.Length] == ' ') return true;
        // A different number is a different part, volume or edition, however close the rest.
        if (!Numbers(a).SequenceEqual(Numbers(b))) return false;
        if (WordDice(a, b) > 0.8) return true;
        int bound = Math.Max(2, shorter.Length / 10);
        return shorter.Length >= 20 && EditDistance.Bounded(a, b, bound) <= bound;
    }

    private static IEnumerable<string> Numbers(string title) =>
        title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.All(char.IsAsciiDigit));

    /// <summary>2·|A∩B| / (|A| + |B|) over the distinct words of two normalised titles.</summary>
    public static double WordDice(string a, string b)
    {
        var wordsA = a.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var wordsB = b.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (wordsA.Count + wordsB.Count == 0) return 1;
        int shared = wordsA.Count(wordsB.Contains);
        return 2.0 * shared / (wordsA.Count + wordsB.Count);
    }
}
