using PaperLens.Core;
using PaperLens.Sources.Arxiv;
using PaperLens.Sources.BibTex;
using PaperLens.Sources.CslJson;
using PaperLens.Sources.Listing;

namespace PaperLens.Sources;

/// <summary>
/// Finds source files and reads them: folders and globs are expanded, each file's format told by extension or
/// content, bad input reported and skipped. Never throws for bad input or unreadable files.
/// Problems about a whole path (not found, unreadable, unknown type) carry line 0.
/// </summary>
public static class SourceLoader
{
    /// <summary>
    /// The source files named by <paramref name="pathsOrGlobs"/>: files as named, folders searched recursively
    /// (files with other extensions ignored), globs expanded. Missing paths and unknown named files are reported.
    /// </summary>
    public static IReadOnlyList<SourceFile> Discover(IEnumerable<string> pathsOrGlobs, Action<SourceProblem> report)
    {
        var found = new List<SourceFile>();
        var seen = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        void Add(string path, SourceFormat? format)
        {
            if (format is not { } f || !seen.Add(Path.GetFullPath(path))) return;
            try
            {
                found.Add(SourceFile.Of(path, f));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                report(new SourceProblem(new SourceLocation(path, 0), $"cannot read file details: {ex.Message}"));
            }
        }

        foreach (var arg in pathsOrGlobs)
        {
            if (PathExpander.IsGlob(arg))
            {
                int before = found.Count;
                foreach (var file in PathExpander.Glob(arg)) Add(file, FormatSniffer.ForListedFile(file));
                if (found.Count == before) report(new SourceProblem(new SourceLocation(arg, 0), "no source files match"));
            }
            else if (Directory.Exists(arg))
                foreach (var file in PathExpander.FilesUnder(arg)) Add(file, FormatSniffer.ForListedFile(file));
            else if (File.Exists(arg))
            {
                var format = FormatSniffer.ForNamedFile(arg);
                if (format == null)
                    report(new SourceProblem(new SourceLocation(arg, 0),
                        "unknown file type, skipped (expected .bib, .bibtex, .json, .jsonl, .ndjson or .txt)"));
                Add(arg, format);
            }
            else report(new SourceProblem(new SourceLocation(arg, 0), "file or folder not found"));
        }
        return found;
    }

    /// <summary>Whether a corpus path (a file, a folder or a glob) takes in <paramref name="file"/>.</summary>
    public static bool Covers(string pathOrGlob, string file)
    {
        if (PathExpander.IsGlob(pathOrGlob)) return PathExpander.Matches(pathOrGlob, file);
        var full = Path.GetFullPath(pathOrGlob);
        return file == full || (Directory.Exists(full) && file.StartsWith(full.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    /// <summary>
    /// Whether a file found in an editor's workspace folder holds papers: a .bib, or a CSL-JSON / arXiv JSONL file whose
    /// first item reads cleanly, or a .txt listing with at least three papers. Never reports: package.json and
    /// README.txt are simply not sources.
    /// </summary>
    public static bool IsPaperSource(string path)
    {
        const long MaxSniffedBytes = 256L * 1024 * 1024;
        var format = FormatSniffer.ForListedFile(path);
        if (format is null) return false;
        if (format == SourceFormat.BibTex) return true;
        try
        {
            var file = SourceFile.Of(path, format.Value);
            if (file.Length == 0 || file.Length > MaxSniffedBytes) return false;
            bool clean = true;
            int wanted = format == SourceFormat.Listing ? 3 : 1;
            int read = Read(file, _ => clean = false).Take(wanted).Count();
            return clean && read == wanted;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether a file a draft names as its bibliography is one: by extension (.bib, .bibtex, .json), else by its first bytes.</summary>
    public static bool IsBibliography(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".bib" or ".bibtex" or ".json"
        || FormatSniffer.ForNamedFile(path) is SourceFormat.BibTex or SourceFormat.CslJson;

    /// <summary>The papers in one file, streamed. Problems are reported; an IO error stops this file only.</summary>
    public static IEnumerable<Paper> Read(SourceFile file, Action<SourceProblem> report)
    {
        Stream stream;
        try
        {
            stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            report(new SourceProblem(new SourceLocation(file.Path, 0), $"cannot open: {ex.Message}"));
            return [];
        }
        return Read(file.Path, file.Format, stream, report);
    }

    /// <summary>The papers in <paramref name="stream"/> (disposed when done), read as <paramref name="format"/>.</summary>
    public static IEnumerable<Paper> Read(string path, SourceFormat format, Stream stream, Action<SourceProblem> report)
    {
        using (stream)
        {
            var papers = Guarded(path, report, () =>
            {
                var text = SourceText.Open(stream, path, report);
                return text == null ? [] : ReaderFor(format).Read(path, text, report);
            });
            foreach (var paper in papers) yield return paper;
        }
    }

    /// <summary>Reads, merges and keys everything: the corpus as one list of unique papers.</summary>
    public static IReadOnlyList<Paper> LoadAll(IEnumerable<string> pathsOrGlobs, Action<SourceProblem> report) =>
        PaperMerger.Merge(Discover(pathsOrGlobs, report).SelectMany(f => Read(f, report)));

    public static IPaperReader ReaderFor(SourceFormat format) => format switch
    {
        SourceFormat.BibTex => new BibTexReader(),
        SourceFormat.CslJson => new CslJsonReader(),
        SourceFormat.ArxivJsonl => new ArxivJsonlReader(),
        SourceFormat.Listing => new ListingReader(),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Enumerates a reader, turning an exception (IO error mid-file, a reader fault) into a problem that ends this file.</summary>
    private static IEnumerable<Paper> Guarded(string path, Action<SourceProblem> report, Func<IEnumerable<Paper>> start)
    {
        IEnumerator<Paper>? papers = null;
        try
        {
            while (true)
            {
                Paper paper;
                try
                {
                    papers ??= start().GetEnumerator();
                    if (!papers.MoveNext()) yield break;
                    paper = papers.Current;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    var reason = ex is IOException or UnauthorizedAccessException ? "read error" : "could not be read";
                    report(new SourceProblem(new SourceLocation(path, 0), $"{reason}, rest of file skipped: {ex.Message}"));
                    yield break;
                }
                yield return paper;
            }
        }
        finally
        {
            papers?.Dispose();
        }
    }
}
