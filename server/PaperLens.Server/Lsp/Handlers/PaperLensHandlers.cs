using System.Text.Json;
using PaperLens.Features;
using PaperLens.Features.Bib;
using PaperLens.Features.CodeActions;
using PaperLens.Features.Related;
using PaperLens.Server.Lsp.Protocol;
using StreamJsonRpc;
using static PaperLens.Server.Lsp.LspConvert;

namespace PaperLens.Server.Lsp.Handlers;

/// <summary>paperlens/relatedPapers: the sidebar's papers for the paragraph at a position or the text of a range.</summary>
public sealed class RelatedPapersHandler(LspContext context)
{
    [JsonRpcMethod(PaperLensMethods.RelatedPapers, UseSingleObjectParameterDeserialization = true)]
    public Protocol.RelatedPapersResult Handle(RelatedPapersParams request, CancellationToken ct)
    {
        var (snapshot, draft) = context.Draft(request.TextDocument);
        int limit = Math.Clamp(request.Limit ?? snapshot.Settings.RelatedLimit, 1, 200);
        if (draft is null) return new([], "");
        if (request.Range is null) context.Workspace.EditingAt(draft.Path, ToFeature(request.Position ?? new Position(0, 0), draft.Lines)); // the cursor moved
        var result = request.Range is { } range
            ? RelatedPapers.ForRange(snapshot, draft, ToFeature(range, draft.Lines), limit, ct)
            : RelatedPapers.ForPosition(snapshot, draft, ToFeature(request.Position ?? new Position(0, 0), draft.Lines), limit, ct);
        return Convert(result);
    }

    public static Protocol.RelatedPapersResult Convert(Features.Related.RelatedPapersResult result) => new(
        result.Papers.Select(p => new RelatedPaper(p.Key, p.Paper.Title, p.Paper.Authors.Select(a => a.ToString()).ToArray(),
            Math.Round(p.Score, 6), p.Snippet, p.Cited, p.InBibliography, p.Paper.Year, p.Paper.Venue, p.Definition is { } d ? ToUri(d.Path) : null, p.Definition is { } r ? ToLsp(r.Range) : null,
            p.Paper.Abstract, p.Paper.Doi, p.Paper.ArxivId, p.Paper.Url, p.Why)).ToArray(),
        result.Context, result.FirstWords);
}

/// <summary>paperlens/search: free text over every known paper.</summary>
public sealed class SearchHandler(LspContext context)
{
    [JsonRpcMethod(PaperLensMethods.Search, UseSingleObjectParameterDeserialization = true)]
    public Protocol.RelatedPapersResult Handle(SearchParams request, CancellationToken ct)
    {
        var snapshot = context.Snapshot();
        var draft = request.TextDocument is { } doc ? snapshot.Drafts.GetValueOrDefault(ToPath(doc.Uri)) : null;
        int limit = Math.Clamp(request.Limit ?? snapshot.Settings.RelatedLimit, 1, 200);
        return RelatedPapersHandler.Convert(RelatedPapers.ForText(snapshot, draft, request.Query, limit, ct));
    }
}

public sealed class IndexStatusHandler(LspContext context)
{
    [JsonRpcMethod(PaperLensMethods.IndexStatus)]
    public IndexStatusResult Handle() => Convert(context.Snapshot().Status);

    public static IndexStatusResult Convert(IndexStatus s) =>
        new(s.Papers, s.Embedded, s.Pending, s.State, s.Message, s.CorpusProblems.Count == 0 ? null : s.CorpusProblems.ToArray());
}

/// <summary>paperlens/bibtex: an entry for a key, its original text when it comes from a .bib.</summary>
public sealed class BibtexHandler(LspContext context)
{
    [JsonRpcMethod(PaperLensMethods.Bibtex, UseSingleObjectParameterDeserialization = true)]
    public BibtexResult? Handle(BibtexParams request)
    {
        var snapshot = context.Snapshot();
        if (WorkspaceSnapshot.FindEntry(snapshot.Bibs.Values, request.Key) is { } found)
        {
            var lines = new LineIndex(found.Bib.Text);
            int start = lines.OffsetOf(found.Entry.Range.Start), end = lines.OffsetOf(found.Entry.Range.End);
            return new BibtexResult(request.Key, found.Bib.Text[start..end]);
        }
        return snapshot.Catalog.ByKey(request.Key) is { } stored ? new BibtexResult(request.Key, BibEntryWriter.Format(stored.Paper, request.Key)) : null;
    }
}

/// <summary>workspace/executeCommand: cite, add a bib entry, reindex. Edits go to the client through workspace/applyEdit.</summary>
public sealed class ExecuteCommandHandler(LspContext context)
{
    [JsonRpcMethod("workspace/executeCommand", UseSingleObjectParameterDeserialization = true)]
    public async Task<object?> Handle(ExecuteCommandParams request, CancellationToken ct)
    {
        var snapshot = context.Snapshot();
        switch (request.Command)
        {
            case PaperLensMethods.ReindexCommand:
                context.Workspace.Reindex();
                return null;
            case PaperLensMethods.CiteCommand:
            {
                var args = Argument<CiteArguments>(request);
                var draft = DraftOrThrow(snapshot, args.Uri);
                return await ApplyAsync("Cite " + args.Key, CitationEdits.CiteAt(snapshot, draft, ToFeature(args.Position, draft.Lines), args.Key), ct);
            }
            case PaperLensMethods.AddEntryCommand:
            {
                var args = Argument<AddBibEntryArguments>(request);
                var draft = DraftOrThrow(snapshot, args.Uri);
                if (WorkspaceSnapshot.FindEntry(snapshot.BibsFor(draft), args.Key) is not null) return true;
                var paper = snapshot.Catalog.ByKey(args.PaperKey ?? args.Key)?.Paper
                    ?? throw new LocalRpcException($"No paper with key '{args.PaperKey ?? args.Key}'") { ErrorCode = LspErrorCodes.InvalidParams };
                var (edits, _) = CitationEdits.AppendEntry(snapshot, draft, paper with { Key = args.Key });
                return await ApplyAsync("Add " + args.Key, edits, ct);
            }
            default:
                throw new LocalRpcException($"Unknown command '{request.Command}'") { ErrorCode = LspErrorCodes.InvalidParams };
        }
    }

    private async Task<bool> ApplyAsync(string label, IReadOnlyList<FileEdit> edits, CancellationToken ct)
    {
        if (edits.Count == 0) return true;
        foreach (var path in edits.Select(e => e.Path).Distinct().Where(p => Path.IsPathRooted(p) && !File.Exists(p)))
            await File.WriteAllTextAsync(path, "", ct); // a new bibliography: the edit needs the file to exist
        var result = await context.Rpc.InvokeWithParameterObjectAsync<ApplyWorkspaceEditResult>("workspace/applyEdit", new ApplyWorkspaceEditParams(label, ToLsp(edits)), ct);
        return result.Applied;
    }

    private static DraftDocument DraftOrThrow(WorkspaceSnapshot snapshot, string uri) =>
        snapshot.Drafts.GetValueOrDefault(ToPath(uri)) ?? throw new LocalRpcException($"{uri} is not an open Markdown or LaTeX draft") { ErrorCode = LspErrorCodes.InvalidParams };

    private static T Argument<T>(ExecuteCommandParams request)
    {
        try
        {
            if (request.Arguments is [var first, ..] && first.Deserialize<T>(LspJson.Options) is { } value) return value;
        }
        catch (JsonException e)
        {
            throw new LocalRpcException($"Bad arguments for {request.Command}: {e.Message}") { ErrorCode = LspErrorCodes.InvalidParams };
        }
        throw new LocalRpcException($"{request.Command} needs one argument object") { ErrorCode = LspErrorCodes.InvalidParams };
    }
}
