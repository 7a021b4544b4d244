using System.Text;
using PaperLens.Core;
using PaperLens.Features;
using PaperLens.Features.Bib;
using PaperLens.Features.CodeActions;
using PaperLens.Server.Lsp.Protocol;
using Range = PaperLens.Server.Lsp.Protocol.Range;

namespace PaperLens.Server.Lsp;

/// <summary>The one place that maps between LSP types and the features' plain records (URIs, positions, edits, severities).</summary>
public static class LspConvert
{
    public static string ToPath(string uri) => ToPath(uri, PathRules.Current);

    /// <summary>The path a file: URI names under a platform's rules; untitled: and other schemes keep their URI as the key.</summary>
    public static string ToPath(string uri, PathRules rules) => rules.FromFileUri(uri) ?? uri;

    public static string ToUri(string path) => ToUri(path, PathRules.Current);

    /// <summary>The file: URI of a path under a platform's rules; a key that is no path (an untitled: URI) is returned as it is.</summary>
    public static string ToUri(string path, PathRules rules) => rules.IsRooted(path) ? rules.ToFileUri(path) : path;

    public static LinePosition ToFeature(Position p) => new(Math.Max(0, p.Line), Math.Max(0, p.Character));

    public static LineRange ToFeature(Range r) => new(ToFeature(r.Start), ToFeature(r.End));

    /// <summary>A position clamped into the document: past a line's end to that end, past the last line to the text's end.</summary>
    public static LinePosition ToFeature(Position p, LineIndex lines) => lines.PositionOf(lines.OffsetOf(ToFeature(p)));

    /// <summary>A range clamped into the document, start before end.</summary>
    public static LineRange ToFeature(Range r, LineIndex lines)
    {
        LinePosition start = ToFeature(r.Start, lines), end = ToFeature(r.End, lines);
        return lines.OffsetOf(end) < lines.OffsetOf(start) ? new(end, start) : new(start, end);
    }

    public static Position ToLsp(LinePosition p) => new(p.Line, p.Column);

    public static Range ToLsp(LineRange r) => new(ToLsp(r.Start), ToLsp(r.End));

    public static Location ToLsp(FileRange r) => new(ToUri(r.Path), ToLsp(r.Range));

    public static int ToLsp(Severity s) => s switch { Severity.Error => 1, Severity.Warning => 2, Severity.Information => 3, _ => 4 };

    public static WorkspaceEdit ToLsp(IEnumerable<FileEdit> edits) =>
        new(edits.GroupBy(e => e.Path).ToDictionary(g => ToUri(g.Key), g => g.Select(e => new TextEdit(ToLsp(e.Range), e.NewText)).ToArray()));

    /// <summary>Where the user is typing after didChange events: the end of the last ranged change's new text; null without a range.</summary>
    public static LinePosition? EditEnd(IReadOnlyList<TextDocumentContentChangeEvent> changes)
    {
        if (changes.Count == 0 || changes[^1].Range is not { } range) return null;
        LinePosition a = ToFeature(range.Start), b = ToFeature(range.End);
        var start = (a.Line, a.Column).CompareTo((b.Line, b.Column)) <= 0 ? a : b;
        string text = changes[^1].Text;
        int lastBreak = text.LastIndexOf('\n');
        return lastBreak < 0 ? start with { Column = start.Column + text.Length }
            : new LinePosition(start.Line + text.Count(c => c == '\n'), text.Length - lastBreak - 1);
    }

    /// <summary>Applies didChange events in order: ranged ones incrementally, range-less ones replace the text.</summary>
    public static string ApplyChanges(string text, IEnumerable<TextDocumentContentChangeEvent> changes)
    {
        foreach (var change in changes)
        {
            if (change.Range is null) { text = change.Text; continue; }
            var lines = new LineIndex(text);
            int start = lines.OffsetOf(ToFeature(change.Range.Start)), end = lines.OffsetOf(ToFeature(change.Range.End));
            if (end < start) (start, end) = (end, start);
            text = new StringBuilder(text.Length + change.Text.Length).Append(text, 0, start).Append(change.Text).Append(text, end, text.Length - end).ToString();
        }
        return text;
    }
}
