using System.CommandLine;
using PaperLens.Server;
using PaperLens.Server.Cli;
using Serilog;
using Serilog.Events;

var root = new RootCommand("PaperLens: rank the papers that matter for what you are writing, offline")
{
    CliOptions.Index, CliOptions.Model, CliOptions.Fp32, CliOptions.Verbose,
    IndexCommand.Create(), SearchCommand.Create(), RelatedCommand.Create(), StatsCommand.Create(), EvalCommand.Create(), EditorEvalCommand.Create(), ServeCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {CliErrors.Describe(error)}");
    var verb = parse.CommandResult.Command;
    Console.Error.WriteLine($"Run 'paperlens {(verb is RootCommand ? "" : verb.Name + " ")}--help' for usage.");
    return 2;
}
AppLogging.Configure(parse.GetValue(CliOptions.Verbose) ? LogEventLevel.Information : LogEventLevel.Warning);
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CliException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
catch (Exception e)
{
    Log.Fatal(e, "Unexpected failure");
    Console.Error.WriteLine($"error: {e.Message} (details in {AppPaths.LogDirectory})");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
