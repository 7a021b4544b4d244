using PaperLens.Core;
using PaperLens.Sources;

namespace PaperLens.Tests.Sources;

/// <summary>Helpers for the source tests: repository files, fixtures, temporary folders, reading with collected problems.</summary>
internal static class SourceTestSupport
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Fixture(string name) => Path.Combine(RepoRoot, "tests", "PaperLens.Tests", "Sources", "Fixtures", name);

    public static string SampleListing => Path.Combine(RepoRoot, "samples", "corpus", "ml-papers.txt");

    /// <summary>Runs a reader over inline text; returns the papers and the problems it reported.</summary>
    public static (List<Paper> Papers, List<SourceProblem> Problems) ReadText(IPaperReader reader, string text, string path = "test")
    {
        var problems = new List<SourceProblem>();
        var papers = reader.Read(path, new StringReader(text), problems.Add).ToList();
        return (papers, problems);
    }

    /// <summary>Reads a file through the loader (decoding, sniffing and all).</summary>
    public static (List<Paper> Papers, List<SourceProblem> Problems) ReadFile(string path)
    {
        var problems = new List<SourceProblem>();
        var files = SourceLoader.Discover([path], problems.Add);
        var papers = files.SelectMany(f => SourceLoader.Read(f, problems.Add)).ToList();
        return (papers, problems);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PaperLens.sln"))) return dir.FullName;
        throw new InvalidOperationException("PaperLens.sln not found above " + AppContext.BaseDirectory);
    }
}
