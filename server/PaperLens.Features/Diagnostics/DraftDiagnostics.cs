using PaperLens.Features.Bib;

namespace PaperLens.Features.Diagnostics;

/// <summary>A problem to show in a file.</summary>
public sealed record FileProblem(LineRange Range, Severity Severity, string Code, string Message);

/// <summary>Diagnostics of drafts (undefined keys) and of bibliographies (syntax errors, duplicate keys).</summary>
public static class DraftDiagnostics
{
    public const string UndefinedKeyCode = "undefined-key";

    public static IReadOnlyList<FileProblem> ForDraft(WorkspaceSnapshot snapshot, DraftDocument draft)
    {
        var bibs = snapshot.BibsFor(draft);
        var problems = new List<FileProblem>();
        foreach (var key in draft.Info.AllKeys)
        {
            if (key.Key == "*" || WorkspaceSnapshot.FindEntry(bibs, key.Key) is not null) continue;
            string where = bibs.Count == 0 ? "no bibliography file was found" : "not in " + string.Join(", ", bibs.Select(b => Path.GetFileName(b.Path)));
            string hint = snapshot.Catalog.ByKey(key.Key) is not null ? " (the corpus has it: use the quick fix to add it)" : "";
            problems.Add(new FileProblem(draft.Lines.RangeOf(key.Span.Start, key.Span.Length), Severity.Warning, UndefinedKeyCode,
                $"Undefined citation key '{key.Key}': {where}{hint}"));
        }
        return problems;
    }

    /// <summary>Problems of every bibliography, by path (a path with none maps to an empty list, so old diagnostics clear).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<FileProblem>> ForBibs(WorkspaceSnapshot snapshot)
    {
        var bibs = snapshot.Bibs.Values.ToList();
        var result = bibs.ToDictionary(b => b.Path, _ => (IReadOnlyList<FileProblem>)[]);
        foreach (var (path, problems) in BibDiagnostics.For(bibs))
            result[path] = problems.Select(p => new FileProblem(p.Range.Range, p.Severity, p.Code, p.Message)).ToList();
        return result;
    }
}
