namespace PaperLens.Sources;

/// <summary>The kinds of source file PaperLens reads.</summary>
public enum SourceFormat
{
    BibTex,
    CslJson,
    ArxivJsonl,
    Listing,
}

/// <summary>A source file found by <see cref="SourceLoader.Discover"/>; length and time let callers skip unchanged files.</summary>
public sealed record SourceFile(string Path, SourceFormat Format, long Length, DateTime LastWriteUtc)
{
    public static SourceFile Of(string path, SourceFormat format)
    {
        var info = new FileInfo(path);
        return new SourceFile(info.FullName, format, info.Length, info.LastWriteTimeUtc);
    }
}
