using System.CommandLine;
using PaperLens.Index;

namespace PaperLens.Server.Cli;

/// <summary>`paperlens search "<text>" [-k N] [--json] [--mode hybrid|lexical|dense]`.</summary>
public static class SearchCommand
{
    public static readonly Option<int> Count = new("-k") { Description = "Number of papers", DefaultValueFactory = _ => 10 };
    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON" };
    public static readonly Option<SearchMode> Mode = new("--mode") { Description = "Ranking: hybrid (default), lexical (BM25) or dense", DefaultValueFactory = _ => SearchMode.Hybrid };

    public static Command Create()
    {
        var text = new Argument<string>("text") { Description = "What you are writing about: a phrase or a whole paragraph" };
        var command = new Command("search", "Rank papers by relevance to a text") { text, Count, Json, Mode };
        command.SetAction(parse =>
        {
            using var session = CliSession.Open(parse);
            session.EnsureFresh();
            var hits = session.CreateSearch().Search(parse.GetValue(text)!, Options(parse));
            HitPrinter.Print(hits, parse.GetValue(Json));
            return 0;
        });
        return command;
    }

    public static SearchOptions Options(ParseResult parse) =>
        new() { Limit = Math.Max(1, parse.GetValue(Count)), Mode = parse.GetValue(Mode) };
}
