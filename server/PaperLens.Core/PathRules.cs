namespace PaperLens.Core;

/// <summary>
/// One platform's file path conventions as a value, so that URI and path handling for Windows and macOS is
/// testable on any OS: separators, drive letters and UNC shares (Windows), and whether names differ by case.
/// Pure string work: nothing here touches the disk.
/// </summary>
public sealed record PathRules(bool IsWindows, bool IgnoreCase)
{
    public static readonly PathRules Linux = new(IsWindows: false, IgnoreCase: false);
    /// <summary>macOS: APFS and HFS+ as formatted by default are case-insensitive.</summary>
    public static readonly PathRules MacOS = new(IsWindows: false, IgnoreCase: true);
    public static readonly PathRules Windows = new(IsWindows: true, IgnoreCase: true);

    public static PathRules Current { get; } = OperatingSystem.IsWindows() ? Windows : OperatingSystem.IsMacOS() ? MacOS : Linux;

    /// <summary>Compares normalized paths as the platform's file system does: Refs.bib is refs.bib on Windows and macOS.</summary>
    public StringComparer Comparer => IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private char Separator => IsWindows ? '\\' : '/';

    public bool IsRooted(string path) =>
        path.StartsWith('/') || IsWindows && (path.StartsWith('\\') || HasDrive(path));

    /// <summary>
    /// An absolute path with one kind of separator, without "." and ".." segments or doubled and trailing
    /// separators; on Windows with an upper-case drive letter (clients send both c: and C:).
    /// </summary>
    public string Normalize(string path)
    {
        var (root, rest) = SplitRoot(path);
        var segments = new List<string>();
        foreach (var segment in rest.Split(IsWindows ? ['/', '\\'] : ['/'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".") continue;
            if (segment == "..") { if (segments.Count > 0) segments.RemoveAt(segments.Count - 1); continue; }
            segments.Add(segment);
        }
        return root + string.Join(Separator, segments);
    }

    /// <summary>The folder part of a path (what Path.GetDirectoryName gives on that platform).</summary>
    public string DirectoryOf(string path)
    {
        path = Normalize(path);
        int cut = path.LastIndexOf(Separator);
        int rootLength = SplitRoot(path).Root.Length;
        return cut < rootLength ? path[..rootLength] : path[..cut];
    }

    /// <summary>
    /// A file that a document names (<c>\bibliography{..\refs}</c>, <c>bibliography: refs.bib</c>), resolved against
    /// the document's folder. A backslash separates folders on every platform, so a draft written on Windows
    /// resolves the same on Linux and macOS.
    /// </summary>
    public string ResolveBeside(string documentPath, string name)
    {
        name = name.Trim();
        if (!IsWindows) name = name.Replace('\\', '/');
        return IsRooted(name) ? Normalize(name) : Normalize(DirectoryOf(documentPath) + Separator + name);
    }

    /// <summary>The path a file: URI names (percent-decoded, normalized); null for other schemes and for hosts outside Windows' UNC.</summary>
    public string? FromFileUri(string uri)
    {
        if (!uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) return null;
        var rest = uri["file:".Length..];
        int end = rest.IndexOfAny(['?', '#']);
        if (end >= 0) rest = rest[..end];
        var host = "";
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            int slash = rest.IndexOf('/', 2);
            host = slash < 0 ? rest[2..] : rest[2..slash];
            rest = slash < 0 ? "/" : rest[slash..];
        }
        var path = Uri.UnescapeDataString(rest);
        if (host is not ("" or "localhost"))
            return IsWindows ? Normalize(@"\\" + host + path) : null;
        if (!IsWindows) return path.StartsWith('/') ? Normalize(path) : null;
        // file:///c%3A/Users/… and file:///C:/Users/… name the same file; file:///C|/… is the old spelling.
        if (path.Length >= 3 && path[0] == '/' && char.IsAsciiLetter(path[1]) && path[2] is ':' or '|') path = path[1] + ":" + path[3..];
        return IsRooted(path) ? Normalize(path) : null;
    }

    /// <summary>The file: URI of an absolute path (RFC 8089): each segment percent-encoded, file:///C:/… and file://server/share/… on Windows.</summary>
    public string ToFileUri(string path)
    {
        var (root, rest) = SplitRoot(Normalize(path));
        var authority = "";
        var prefix = "/";
        if (IsWindows && root.StartsWith(@"\\", StringComparison.Ordinal))
        {
            var share = root[2..].TrimEnd('\\').Split('\\');
            authority = share[0];
            prefix = "/" + string.Join('/', share.Skip(1).Select(Uri.EscapeDataString)) + "/";
        }
        else if (IsWindows && HasDrive(root))
        {
            prefix = "/" + root[..2] + "/";
        }
        var segments = rest.Split(Separator, StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString);
        return "file://" + authority + prefix + string.Join('/', segments);
    }

    private static bool HasDrive(string path) => path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':';

    /// <summary>"C:\", "\\server\share\", "\" or "/" and the rest; ("", path) for a relative path.</summary>
    private (string Root, string Tail) SplitRoot(string path)
    {
        if (!IsWindows) return path.StartsWith('/') ? ("/", path[1..]) : ("", path);
        if (HasDrive(path)) return (char.ToUpperInvariant(path[0]) + @":\", path[2..]);
        if (path.Length > 2 && path[0] is '\\' or '/' && path[1] is '\\' or '/')
        {
            var parts = path[2..].Split(['/', '\\'], 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2) return (@"\\" + parts[0] + @"\" + parts[1] + @"\", parts.Length > 2 ? parts[2] : "");
        }
        return path.StartsWith('\\') || path.StartsWith('/') ? (@"\", path[1..]) : ("", path);
    }
}
