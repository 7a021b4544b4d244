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
}
