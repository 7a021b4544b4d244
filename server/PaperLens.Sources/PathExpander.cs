using System.Text;
using System.Text.RegularExpressions;

namespace PaperLens.Sources;

/// <summary>
/// Expands folders (recursively) and globs into file paths, skipping build and VCS folders. The one folder walker of
/// PaperLens: the CLI and the language server both use it. Symbolic links are not followed while walking (a link loop or a
/// link to /etc costs nothing); a linked file that is named directly is still read by its caller.
/// </summary>
public static class PathExpander
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
        { "bin", "obj", "node_modules", ".git", ".hg", ".svn", ".vs", ".idea", ".vscode" };

    public static bool IsGlob(string path) => path.IndexOfAny(['*', '?', '[', '{']) >= 0;

    /// <summary>Every file under <paramref name="folder"/>, sorted, skipping bin/obj/node_modules/.git; unreadable folders are passed over.</summary>
    public static IEnumerable<string> FilesUnder(string folder)
    {
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        string[] files, dirs;
        try
        {
            files = Directory.GetFiles(folder, "*", options);
            dirs = Directory.GetDirectories(folder, "*", options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        Array.Sort(files, StringComparer.Ordinal);
        Array.Sort(dirs, StringComparer.Ordinal);
        foreach (var f in files) yield return f;
        foreach (var d in dirs)
        {
            if (SkippedFolders.Contains(Path.GetFileName(d))) continue;
            foreach (var f in FilesUnder(d)) yield return f;
        }
    }

    /// <summary>Files matching a glob such as "refs/**/*.bib" or "data/acm-*/x?.json"; relative globs start at the current folder.</summary>
    public static IEnumerable<string> Glob(string pattern)
    {
        var (root, regex, recursive) = Parse(pattern);
        if (!Directory.Exists(root)) return [];
        var candidates = recursive ? FilesUnder(root) : SafeFiles(root);
        return candidates.Where(f => regex.IsMatch(Path.GetRelativePath(root, f).Replace('\\', '/')));
    }

    /// <summary>The folder a glob starts in (the part before its first wildcard), as a full path.</summary>
    public static string RootOf(string pattern) => Path.GetFullPath(Parse(pattern).Root);

    /// <summary>Whether <paramref name="file"/> is one of the files <paramref name="pattern"/> matches.</summary>
    public static bool Matches(string pattern, string file)
    {
        var (root, regex, _) = Parse(pattern);
        var relative = Path.GetRelativePath(Path.GetFullPath(root), Path.GetFullPath(file)).Replace('\\', '/');
        return !relative.StartsWith("../", StringComparison.Ordinal) && regex.IsMatch(relative);
    }

    /// <summary>The folder before the first wildcard, the rest as a regex, and whether matching descends into folders.</summary>
    private static (string Root, Regex Remainder, bool Recursive) Parse(string pattern)
    {
        var normalized = pattern.Replace('\\', '/');
        var segments = normalized.Split('/');
        int firstGlob = Array.FindIndex(segments, IsGlob);
        var root = string.Join('/', segments[..firstGlob]);
        if (root.Length == 0) root = normalized.StartsWith('/') ? "/" : ".";
        var regex = new Regex("^" + ToRegex(string.Join('/', segments[firstGlob..])) + "$",
            OperatingSystem.IsWindows() ? RegexOptions.IgnoreCase : RegexOptions.None);
        return (root, regex, segments.Length - firstGlob > 1 || normalized.Contains("**"));
    }

    private static IEnumerable<string> SafeFiles(string folder)
    {
        try
        {
            var files = Directory.GetFiles(folder);
            Array.Sort(files, StringComparer.Ordinal);
            return files;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// VS Code's glob syntax: "**/" matches any number of folders, "*" anything within one name, "?" one character,
    /// "[a-c]" / "[!a]" one character of a class, "{a,b}" one of the alternatives. An unclosed bracket or brace is literal.
    /// </summary>
    private static string ToRegex(string glob)
    {
        var sb = new StringBuilder();
        int alternatives = 0; // open "{" groups
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            if (c == '[' && i + 2 < glob.Length && glob.IndexOf(']', i + 2) is int close and > 0)
            {
                var set = glob[(i + 1)..close];
                bool negated = set[0] is '!' or '^';
                if (negated) set = set[1..];
                sb.Append(negated ? "[^/" : "[").Append(set.Replace("\\", "\\\\").Replace("[", "\\[")).Append(']');
                i = close;
                continue;
            }
            if (c == '{' && glob.IndexOf('}', i + 1) > 0) { sb.Append("(?:"); alternatives++; continue; }
            if (c == ',' && alternatives > 0) { sb.Append('|'); continue; }
            if (c == '}' && alternatives > 0) { sb.Append(')'); alternatives--; continue; }
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                bool slash = i + 2 < glob.Length && glob[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}
