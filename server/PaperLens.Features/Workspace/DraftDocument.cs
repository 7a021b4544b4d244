using PaperLens.Core;
using PaperLens.Sources.Drafts;

namespace PaperLens.Features;

/// <summary>An immutable version of a Markdown or LaTeX draft; parsed lazily, once.</summary>
public sealed class DraftDocument
{
    private readonly Lazy<DraftInfo> _info;
    private readonly Lazy<LineIndex> _lines;

    public string Path { get; }
    public string Text { get; }
    public int Version { get; }
    public DraftKind Kind { get; }

    /// <summary>The user's own LaTeX citation macros this draft was parsed with (names without the backslash).</summary>
    public IReadOnlySet<string> CiteCommands { get; }

    public DraftDocument(string path, string text, int version, IReadOnlySet<string>? citeCommands = null)
    {
        Path = path; Text = text; Version = version; Kind = DraftText.KindOf(path);
        CiteCommands = citeCommands ?? new HashSet<string>();
        _info = new Lazy<DraftInfo>(ParseOrEmpty);
        _lines = new Lazy<LineIndex>(() => new LineIndex(Text));
    }

    public DraftInfo Info => _info.Value;

    /// <summary>The citation site at an offset (see <see cref="DraftParser.SiteAt"/>), with this draft's parse and macros.</summary>
    public CitationSite? SiteAt(int offset) => DraftParser.SiteAt(Text, offset, Kind, Info, CiteCommands);

    /// <summary>Why the parser failed on this text, when it did; the draft then has no citations rather than breaking every feature.</summary>
    public Exception? ParseError { get; private set; }

    private DraftInfo ParseOrEmpty()
    {
        try { return DraftParser.Parse(Text, Kind, CiteCommands); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ParseError = e;
            return new DraftInfo(Kind, [], []);
        }
    }

    public LineIndex Lines => _lines.Value;

    public static bool IsDraft(string path) =>
        System.IO.Path.GetExtension(path).ToLowerInvariant() is ".tex" or ".ltx" or ".md" or ".markdown" or ".rmd" or ".qmd";

    /// <summary>The bibliography files this draft names, resolved against its folder.</summary>
    public IEnumerable<string> BibliographyPaths => BibliographyPathsUnder(PathRules.Current);

    /// <summary>The bibliography files this draft names, resolved under a platform's path rules (<c>..\refs</c> works everywhere).</summary>
    public IEnumerable<string> BibliographyPathsUnder(PathRules rules) => Info.BibliographyFiles.Select(f => rules.ResolveBeside(Path, f));

    /// <summary>The citation key under a position, with its citation.</summary>
    public (DraftCitation Citation, CitedKey Key)? KeyAt(LinePosition position)
    {
        int offset = Lines.OffsetOf(position);
        foreach (var citation in Info.Citations)
            foreach (var key in citation.Keys)
                if (key.Span.Contains(offset)) return (citation, key);
        return null;
    }

    /// <summary>The paragraph around a position, as plain text for ranking.</summary>
    public DraftParagraph ParagraphAt(LinePosition position) => DraftText.ParagraphAt(Text, position.Line + 1, Kind);

    public IReadOnlySet<string> CitedKeys => Info.AllKeys.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
}
