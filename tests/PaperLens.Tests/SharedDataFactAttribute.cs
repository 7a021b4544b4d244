namespace PaperLens.Tests;

/// <summary>Finds the shared, read-only test data (<c>shared/</c>): $PAPERLENS_SHARED, or a <c>shared/data</c> folder beside a parent of the test binaries.</summary>
public static class SharedData
{
    public static string? Root { get; } = Locate();

    /// <summary>The full path of <paramref name="relativePath"/> under the shared folder, or null when it is missing.</summary>
    public static string? Find(string relativePath)
    {
        if (Root == null) return null;
        string path = Path.Combine(Root, relativePath);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }

    private static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("PAPERLENS_SHARED") is { Length: > 0 } fromEnv && Directory.Exists(fromEnv))
            return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data"))) return candidate;
        }
        return null;
    }
}

/// <summary>A fact that needs a file or folder under the shared data; skipped, saying why, when it is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relativePath)
    {
        if (SharedData.Find(relativePath) == null)
            Skip = $"shared data '{relativePath}' not found (set PAPERLENS_SHARED or put a 'shared/data' folder beside the repository)";
    }
}
