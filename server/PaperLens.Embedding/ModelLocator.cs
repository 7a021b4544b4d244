namespace PaperLens.Embedding;

/// <summary>Finds the bundled model folders under <c>models/</c>; the default one is arctic-embed-xs.</summary>
public static class ModelLocator
{
    public const string ArcticEmbedXsFolder = "models/arctic-embed-xs";
    public const string MiniLMFolder = "models/all-minilm-l6-v2";
    public const string DefaultModelFolder = ArcticEmbedXsFolder;

    /// <summary>The default model folder; null when there is none (see <see cref="BundledModelDirectory"/>).</summary>
    public static string? DefaultModelDirectory() => BundledModelDirectory(DefaultModelFolder);

    /// <summary>
    /// A bundled model folder (such as <see cref="MiniLMFolder"/>) next to the executable, where the build
    /// copies it, else the first one found walking up from the executable (a repository checkout); null
    /// when there is none.
    /// </summary>
    public static string? BundledModelDirectory(string folder) => FindFrom(AppContext.BaseDirectory, folder);

    internal static string? FindFrom(string start, string folder = DefaultModelFolder)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, folder);
            if (File.Exists(Path.Combine(candidate, ModelConfig.FileName)))
                return candidate;
        }
        return null;
    }
}
