using System.CommandLine;
using PaperLens.Core;

namespace PaperLens.Server.Cli;

/// <summary>`paperlens related <draft.md|draft.tex> [--line N]`: papers for the paragraph at that line.</summary>
public static class RelatedCommand
{
    public static Command Create()
    {
        var draft = new Argument<string>("draft") { Description = "A Markdown or LaTeX draft" };
        var line = new Option<int>("--line") { Description = "1-based line inside the paragraph (default: the first paragraph)", DefaultValueFactory = _ => 1 };
        var command = new Command("related", "Papers for the paragraph at a line of a draft") { draft, line, SearchCommand.Count, SearchCommand.Json, SearchCommand.Mode };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(draft)!;
            if (!File.Exists(path)) throw new CliException($"{path}: no such file");
            var paragraph = DraftText.ParagraphAt(File.ReadAllText(path), parse.GetValue(line), DraftText.KindOf(path));
            if (paragraph.Text.Length == 0) throw new CliException($"{path}:{parse.GetValue(line)}: no paragraph text there");
            Console.Error.WriteLine($"Paragraph at lines {paragraph.StartLine}-{paragraph.EndLine}: {Shorten(paragraph.Text, 100)}");
            using var session = CliSession.Open(parse);
            session.EnsureFresh();
            HitPrinter.Print(session.CreateSearch().Search(paragraph.Text, SearchCommand.Options(parse)), parse.GetValue(SearchCommand.Json));
            return 0;
        });
        return command;
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
