namespace PaperLens.Tests.Embedding;

/// <summary>
/// The abstracts of the sample listing samples/corpus/ml-papers.txt: its blank-line separated
/// paragraphs longer than 200 characters (titles and page chrome are shorter).
/// Shared with tests/PaperLens.Benchmarks, which links this file.
/// </summary>
public static class SampleAbstracts
{
    public const string RelativePath = "samples/corpus/ml-papers.txt";

    public static IReadOnlyList<string> Load()
    {
        var text = File.ReadAllText(FindFile()).ReplaceLineEndings("\n");
        return text.Split("\n\n")
            .Select(paragraph => paragraph.Trim())
            .Where(paragraph => paragraph.Length > 200)
            .ToList();
    }

    /// <summary>The listing next to the binary (the server project copies it) or in a parent folder.</summary>
    private static string FindFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException($"{RelativePath} not found above {AppContext.BaseDirectory}");
    }
}
