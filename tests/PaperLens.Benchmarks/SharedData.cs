namespace PaperLens.Benchmarks;

/// <summary>
/// Finds the shared data folder (…/shared/data): $PAPERLENS_SHARED/data, or a `shared/data` folder
/// beside the checkout or any folder above the binary.
/// </summary>
internal static class SharedData
{
    public static string? Find(string relativePath)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("PAPERLENS_SHARED");
        if (fromEnvironment is not null && File.Exists(Path.Combine(fromEnvironment, "data", relativePath)))
            return Path.Combine(fromEnvironment, "data", relativePath);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "data", relativePath);
            if (File.Exists(path))
                return path;
        }
        return null;
    }
}
