namespace PaperLens.Server.Lsp.Protocol;

// PaperLens's own requests. Documented in docs/lsp-extensions.md; mirrored by extension/src/lspExt.ts.

/// <summary>The method names of PaperLens's own requests and commands.</summary>
public static class PaperLensMethods
{
    public const string RelatedPapers = "paperlens/relatedPapers";
    public const string Search = "paperlens/search";
    public const string IndexStatus = "paperlens/indexStatus";
    public const string Bibtex = "paperlens/bibtex";
    public const string CiteCommand = "paperlens.cite";
    public const string AddEntryCommand = "paperlens.addBibEntry";
    public const string ShowRelatedCommand = "paperlens.showRelated";
    public const string ReindexCommand = "paperlens.reindex";
}

/// <summary>paperlens/relatedPapers params: the paragraph at Position, or the text in Range.</summary>
public sealed record RelatedPapersParams(TextDocumentIdentifier TextDocument, Position? Position = null, Range? Range = null, int? Limit = null);

/// <summary>One related paper. Uri and Range locate its entry (a .bib or a corpus file).</summary>
public sealed record RelatedPaper(
    string Key, string Title, string[] Authors, double Score, string Snippet, bool Cited, bool InBibliography,
    int? Year = null, string? Venue = null, string? Uri = null, Range? Range = null, string? Abstract = null, string? Doi = null, string? ArxivId = null, string? Url = null, string? Why = null);

/// <summary>Context: the text that was ranked; FirstWords: its first words, for a header.</summary>
public sealed record RelatedPapersResult(RelatedPaper[] Papers, string Context, string? FirstWords = null);

/// <summary>paperlens/search params.</summary>
public sealed record SearchParams(string Query, int? Limit = null, TextDocumentIdentifier? TextDocument = null);

/// <summary>paperlens/indexStatus result. State: idle, indexing, embedding, error. CorpusProblems: configured corpus paths that give no files.</summary>
public sealed record IndexStatusResult(long Papers, long Embedded, long Pending, string State, string? Message = null, string[]? CorpusProblems = null);

public static class PaperLensNotifications
{
    public const string IndexStatusChanged = "paperlens/indexStatusChanged";
}

/// <summary>paperlens/bibtex params and result.</summary>
public sealed record BibtexParams(string Key);

public sealed record BibtexResult(string Key, string Bibtex);

/// <summary>Arguments of the paperlens.cite command.</summary>
public sealed record CiteArguments(string Uri, Position Position, string Key);

/// <summary>Arguments of the paperlens.addBibEntry command: add the paper known as PaperKey (default: Key) under Key.</summary>
public sealed record AddBibEntryArguments(string Uri, string Key, string? PaperKey = null);
