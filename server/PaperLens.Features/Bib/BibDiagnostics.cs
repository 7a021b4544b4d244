namespace PaperLens.Features.Bib;

public enum Severity { Error, Warning, Information, Hint }

/// <summary>A problem to show in a .bib file. <see cref="Code"/> is one of <see cref="BibDiagnostics"/>' codes.</summary>
public sealed record BibProblem(FileRange Range, Severity Severity, string Code, string Message);

/// <summary>The problems of a set of .bib files: syntax errors, and keys defined twice in a file or across files.</summary>
public static class BibDiagnostics
{
    public const string SyntaxCode = "bib-syntax";
    public const string DuplicateKeyCode = "bib-duplicate-key";

    /// <summary>
    /// The problems of each file, by path; every given file has a list, empty when it is clean (so stale problems can be cleared).
    /// Across files, the first definition in <paramref name="bibs"/>' order wins and each later file's copy is flagged.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<BibProblem>> For(IReadOnlyList<BibDocument> bibs)
    {
        var result = new Dictionary<string, IReadOnlyList<BibProblem>>(StringComparer.Ordinal);
        var definedIn = new Dictionary<string, (BibDocument Bib, BibDocumentEntry Entry)>(BibDocument.KeyComparer);
        foreach (var bib in bibs)
        {
            var problems = new List<BibProblem>();
            foreach (var error in bib.Errors)
                problems.Add(new BibProblem(new FileRange(bib.Path, error.Range), Severity.Error, SyntaxCode, error.Message));
            foreach (var duplicate in bib.Duplicates)
                problems.Add(Duplicate(bib, duplicate.Entry, duplicate.Message));
            foreach (var entry in bib.Entries)
            {
                if (bib.Find(entry.Key) != entry) continue; // a repeat within the file, reported above
                if (definedIn.TryGetValue(entry.Key, out var first))
                    problems.Add(Duplicate(bib, entry, $"duplicate key '{entry.Key}', also defined in {Where(first.Bib, first.Entry)}"));
                else
                    definedIn[entry.Key] = (bib, entry);
            }
            problems.Sort((a, b) => LinePositions.Compare(a.Range.Range.Start, b.Range.Range.Start));
            result[bib.Path] = problems;
        }
        return result;
    }

    private static BibProblem Duplicate(BibDocument bib, BibDocumentEntry entry, string message) =>
        new(new FileRange(bib.Path, entry.KeyRange), Severity.Warning, DuplicateKeyCode, message);

    private static string Where(BibDocument bib, BibDocumentEntry entry) =>
        $"{Path.GetFileName(bib.Path)}:{entry.KeyRange.Start.Line + 1}";
}
