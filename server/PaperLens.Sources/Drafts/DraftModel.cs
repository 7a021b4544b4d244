using PaperLens.Core;

namespace PaperLens.Sources.Drafts;

/// <summary>A range of a document in UTF-16 offsets.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;
    public bool Contains(int offset) => offset >= Start && offset <= End;
}

/// <summary>One key inside a citation, with where it stands.</summary>
public sealed record CitedKey(string Key, TextSpan Span);

/// <summary>A citation in a draft: `\citep[p.~3]{a,b}` or a pandoc `[@a; @b]` / `@a`.</summary>
public sealed record DraftCitation(DraftKind Syntax, string Command, TextSpan Span, IReadOnlyList<CitedKey> Keys);

/// <summary>What a draft says about citations: every citation and the bibliography files it names (as written).</summary>
public sealed record DraftInfo(DraftKind Kind, IReadOnlyList<DraftCitation> Citations, IReadOnlyList<string> BibliographyFiles)
{
    /// <summary>Markdown only: code, URLs, HTML and front matter, where an @ is never a citation.</summary>
    public IReadOnlyList<TextSpan> NonProse { get; init; } = [];

    public IEnumerable<CitedKey> AllKeys => Citations.SelectMany(c => c.Keys);
}

/// <summary>
/// Where the cursor is inside a citation: the key typed so far, the span a completion replaces (the typed prefix, and
/// the rest of the key only inside a closed citation) and <see cref="KeySpan"/>, the whole key the cursor is in.
/// </summary>
public sealed record CitationSite(DraftKind Syntax, string Prefix, TextSpan ReplaceSpan, IReadOnlyList<string> OtherKeys)
{
    private readonly TextSpan? _keySpan;
    public TextSpan KeySpan { get => _keySpan ?? ReplaceSpan; init => _keySpan = value; }
}

public static class DraftParser
{
    /// <summary>Parses a draft; <paramref name="citeCommands"/> are the user's own LaTeX citation macros (names without the backslash).</summary>
    public static DraftInfo Parse(string text, DraftKind kind, IReadOnlySet<string>? citeCommands = null) =>
        kind == DraftKind.Latex ? LatexDraftParser.Parse(text, citeCommands) : MarkdownDraftParser.Parse(text);

    /// <summary>The citation site at an offset; pass the text's parsed <paramref name="info"/> to spare a Markdown re-parse.</summary>
    public static CitationSite? SiteAt(string text, int offset, DraftKind kind, DraftInfo? info = null, IReadOnlySet<string>? citeCommands = null) =>
        kind == DraftKind.Latex ? LatexDraftParser.SiteAt(text, offset, citeCommands) : MarkdownDraftParser.SiteAt(text, offset, info?.NonProse);
}
