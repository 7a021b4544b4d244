using System.Text;
using PaperLens.Core;
using PaperLens.Sources;
using PaperLens.Sources.Arxiv;
using PaperLens.Sources.BibTex;
using PaperLens.Sources.CslJson;
using PaperLens.Sources.Drafts;
using PaperLens.Sources.Listing;
using SharpFuzz;

// One fuzz target per reader, draft parser and text helper. `paperlens-fuzz <target>` runs it under afl-fuzz
// (input on stdin); outside afl-fuzz it runs the target once on stdin, which replays a saved crash.
// A target fails when an exception escapes, the process dies (stack overflow) or an input takes too long.

var targets = new Dictionary<string, Action<byte[]>>
{
    ["bibtex"] = bytes => ReadAll(new BibTexReader(), bytes),
    ["csljson"] = bytes => ReadAll(new CslJsonReader(), bytes),
    ["arxiv"] = bytes => ReadAll(new ArxivJsonlReader(), bytes),
    ["listing"] = bytes => ReadAll(new ListingReader(), bytes),
    ["latex-draft"] = bytes => DraftParser.Parse(Text(bytes), DraftKind.Latex),
    ["markdown-draft"] = bytes => DraftParser.Parse(Text(bytes), DraftKind.Markdown),
    ["site-at"] = SiteAt,
    ["paragraph-at"] = ParagraphAt,
    ["latex-text"] = bytes => LatexText.ToUnicode(Text(bytes)),
};

if (args.Length != 1 || !targets.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: paperlens-fuzz <{string.Join('|', targets.Keys)}>");
    return 2;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;

// Readers report bad input as problems; only an exception out of Read is a failure.
static void ReadAll(IPaperReader reader, byte[] bytes)
{
    foreach (var _ in reader.Read("fuzz", new StringReader(Text(bytes)), _ => { })) { }
}

static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

// Byte 0 picks the syntax, bytes 1-2 the cursor (any offset in the text, ends included), the rest is the draft.
static void SiteAt(byte[] bytes)
{
    if (bytes.Length < 3) return;
    var kind = (bytes[0] & 1) == 0 ? DraftKind.Latex : DraftKind.Markdown;
    var text = Text(bytes.AsSpan(3));
    int offset = (bytes[1] | bytes[2] << 8) % (text.Length + 1);
    var info = DraftParser.Parse(text, kind);
    DraftParser.SiteAt(text, offset, kind, info);
}

// Byte 0 picks the syntax, bytes 1-2 the line (signed: out-of-range lines are clamped), the rest is the draft.
static void ParagraphAt(byte[] bytes)
{
    if (bytes.Length < 3) return;
    var kind = (bytes[0] & 1) == 0 ? DraftKind.Latex : DraftKind.Markdown;
    DraftText.ParagraphAt(Text(bytes.AsSpan(3)), (short)(bytes[1] | bytes[2] << 8), kind);
}
