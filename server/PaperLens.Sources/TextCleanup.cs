using System.Text;

namespace PaperLens.Sources;

/// <summary>Small text fixes shared by the readers.</summary>
internal static class TextCleanup
{
    /// <summary>Runs of whitespace (newlines included) become one space; ends trimmed; chars that are not text dropped.</summary>
    public static string CollapseWhitespace(string text)
    {
        text = PaperLens.Core.LatexText.WithoutInvalidChars(text);
        var sb = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { pendingSpace = sb.Length > 0; continue; }
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Title or abstract text written in LaTeX (arXiv metadata), as stored: Unicode, whitespace collapsed, null when empty.</summary>
    public static string? CleanLatex(string? text) => Clean(text is null ? null : PaperLens.Core.LatexText.ToUnicode(text));

    /// <summary>Title or abstract text as stored: whitespace collapsed, null when empty.</summary>
    public static string? Clean(string? text)
    {
        if (text == null) return null;
        var cleaned = CollapseWhitespace(text);
        return cleaned.Length == 0 ? null : cleaned;
    }
}
