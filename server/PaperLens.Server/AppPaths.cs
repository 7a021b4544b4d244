namespace PaperLens.Server;

/// <summary>Where PaperLens keeps its files by default: a per-user cache folder.</summary>
public static class AppPaths
{
    public static string CacheDirectory
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = !string.IsNullOrEmpty(xdg) ? xdg
                : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "paperlens");
        }
    }

    public static string DefaultIndex => Path.Combine(CacheDirectory, "index.db");
    public static string LogDirectory => Path.Combine(CacheDirectory, "logs");

    /// <summary>The sample corpus shipped next to the executable.</summary>
    public static string BundledSampleCorpus => Path.Combine(AppContext.BaseDirectory, "samples", "corpus");
}
