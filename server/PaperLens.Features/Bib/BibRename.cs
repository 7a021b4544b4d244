namespace PaperLens.Features.Bib;

/// <summary>Replace the text of <see cref="Range"/> with <see cref="NewText"/>.</summary>
public sealed record BibTextEdit(LineRange Range, string NewText);

/// <summary>Renaming a citation key inside a .bib file.</summary>
public static class BibRename
{
    /// <summary>One edit per entry whose key is <paramref name="oldKey"/> (compared as BibTeX does, ignoring case).</summary>
    public static IReadOnlyList<BibTextEdit> Edits(BibDocument bib, string oldKey, string newKey) =>
        bib.Entries
            .Where(entry => BibDocument.KeyComparer.Equals(entry.Key, oldKey))
            .Select(entry => new BibTextEdit(entry.KeyRange, newKey))
            .ToList();
}
