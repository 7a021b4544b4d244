using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace PaperLens.Core;

/// <summary>Folds letters to plain lowercase Latin: diacritics dropped (é→e), special letters spelled out (ß→ss, ø→o, ł→l).</summary>
public static class AsciiFold
{
    /// <summary>Appends the folded, lowercase form of <paramref name="c"/>; letters with no Latin form (γ, 中) are appended lowercased as they are.</summary>
    public static void Append(StringBuilder sb, char c)
    {
        if (c < 0x80) { sb.Append(char.ToLowerInvariant(c)); return; }
        sb.Append(FoldedChars.GetOrAdd(c, Fold));
    }

    /// <summary>Each non-ASCII letter folded once (a ranking folds the surnames of hundreds of papers; ICU is slow per call).</summary>
    private static readonly ConcurrentDictionary<char, string> FoldedChars = new();

    private static string Fold(char c)
    {
        if (Special(c) is { } special) return special;
        var sb = new StringBuilder(2);
        foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark)
                sb.Append(char.ToLowerInvariant(d));
        return sb.ToString();
    }

    /// <summary>Only the characters a-z and 0-9 of the folded text: "Müller-Lüdenscheidt" → "mullerludenscheidt".</summary>
    public static string ToKeyPart(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c < 0x80)
            {
                if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
                continue;
            }
            int start = sb.Length;
            Append(sb, c);
            for (int i = sb.Length - 1; i >= start; i--)
                if (!char.IsAsciiLetterLower(sb[i]) && !char.IsAsciiDigit(sb[i])) sb.Remove(i, 1);
        }
        return sb.ToString();
    }

    private static string? Special(char c) => c switch
    {
        'ß' => "ss",
        'ø' or 'Ø' => "o",
        'ł' or 'Ł' => "l",
        'æ' or 'Æ' => "ae",
        'œ' or 'Œ' => "oe",
        'đ' or 'Đ' or 'ð' or 'Ð' => "d",
        'þ' or 'Þ' => "th",
        'ı' => "i",
        'ħ' or 'Ħ' => "h",
        _ => null,
    };
}
