namespace PaperLens.Embedding;

/// <summary>Finds the default model folder, <c>models/arctic-embed-xs</c>.</summary>
public static class ModelLocator
{
    public const string DefaultModelFolder = "models/arctic-embed-xs";

    /// <summary>
    /// The default model folder next to the executable (where the build copies it), else the first one
    /// found walking up from the executable (a repository checkout); null when there is none.
    /// </summary>
    public static string? DefaultModelDirectory() => FindFrom(AppContext.BaseDirectory);

    internal static string? FindFrom(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DefaultModelFolder);
            if (File.Exists(Path.Combine(candidate, ModelConfig.FileName)))
                return candidate;
        }
        return null;
    }
}
