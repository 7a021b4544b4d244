using System.Globalization;
using System.Text;

namespace PaperLens.Sources;

/// <summary>Repairs JSON text that System.Text.Json refuses to read as strings.</summary>
internal static class JsonEscapes
{
    /// <summary>
    /// <paramref name="json"/> with each escaped surrogate that has no partner ("\ud800" alone) written as
    /// "\ufffd", so that the string reads as text instead of throwing; escaped pairs stay as they are.
    /// </summary>
    public static string WithoutLoneSurrogates(string json)
    {
        if (json.IndexOf("\\ud", StringComparison.OrdinalIgnoreCase) < 0) return json;
        StringBuilder? repaired = null;
        int copied = 0;
        for (int i = 0; i < json.Length; i++)
        {
            if (json[i] != '\\') continue;
            if (!TryEscapedUnit(json, i, out char unit)) { i++; continue; } // \" \\ \n …: skip the escaped char
            if (char.IsHighSurrogate(unit) && TryEscapedUnit(json, i + 6, out char next) && char.IsLowSurrogate(next))
            {
                i += 11;
                continue;
            }
            if (char.IsSurrogate(unit))
            {
                repaired ??= new StringBuilder(json.Length);
                repaired.Append(json, copied, i - copied).Append("\\ufffd");
                copied = i + 6;
            }
            i += 5;
        }
        return repaired == null ? json : repaired.Append(json, copied, json.Length - copied).ToString();
    }

    /// <summary>Whether a "\uXXXX" escape starts at <paramref name="at"/>, and its code unit.</summary>
    private static bool TryEscapedUnit(string json, int at, out char unit)
    {
        unit = '\0';
        if (at + 6 > json.Length || json[at] != '\\' || json[at + 1] != 'u') return false;
        if (!ushort.TryParse(json.AsSpan(at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort value)) return false;
        unit = (char)value;
        return true;
    }
}
