using System.Collections.Immutable;
using PaperLens.Core;
using PaperLens.Features;
using PaperLens.Features.Bib;

namespace PaperLens.Tests.Features.Editor;

/// <summary>A snapshot built from a multi-file fixture (no index: an empty catalog), and the draft with the cursor.</summary>
internal sealed record FeatureWorkspace(WorkspaceSnapshot Snapshot, DraftDocument Draft, LinePosition Cursor)
{
    public const string Root = "/ws";

    public static FeatureWorkspace Load(string source, WorkspaceSettings? settings = null, PaperCatalog? catalog = null)
    {
        var fixture = Fixture.Parse(source);
        settings ??= new WorkspaceSettings();
        var drafts = ImmutableDictionary.Create<string, DraftDocument>(WorkspaceSnapshot.PathComparer);
        var bibs = ImmutableDictionary.Create<string, BibDocument>(WorkspaceSnapshot.PathComparer);
        foreach (var (name, text) in fixture.Files)
        {
            string path = Path.Combine(Root, name);
            if (name.EndsWith(".bib", StringComparison.Ordinal)) bibs = bibs.SetItem(path, BibDocument.Parse(path, text));
            else drafts = drafts.SetItem(path, new DraftDocument(path, text, 1, settings.LatexCiteCommands));
        }
        var snapshot = new WorkspaceSnapshot { Drafts = drafts, Bibs = bibs, Settings = settings, Catalog = catalog ?? PaperCatalog.Empty(), Folders = [Root] };
        var draft = fixture.CursorFile is { } file ? drafts[Path.Combine(Root, file)] : drafts.Values.First();
        var cursor = draft.Lines.PositionOf(Math.Max(0, fixture.CursorOffset));
        return new FeatureWorkspace(snapshot, draft, cursor);
    }

    /// <summary>The draft's text after applying the edits that target it (in reverse order, so offsets stay valid).</summary>
    public static string Apply(DraftDocument draft, IEnumerable<PaperLens.Features.CodeActions.FileEdit> edits)
    {
        var text = draft.Text;
        foreach (var edit in edits.Where(e => e.Path == draft.Path).OrderByDescending(e => draft.Lines.OffsetOf(e.Range.Start)))
        {
            int start = draft.Lines.OffsetOf(edit.Range.Start), end = draft.Lines.OffsetOf(edit.Range.End);
            text = text[..start] + edit.NewText + text[end..];
        }
        return text;
    }
}
