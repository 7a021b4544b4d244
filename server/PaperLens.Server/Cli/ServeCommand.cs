using System.CommandLine;
using PaperLens.Embedding;
using PaperLens.Server.Lsp;
using Serilog;

namespace PaperLens.Server.Cli;

/// <summary>`paperlens serve`: the language server on stdin/stdout.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the language server over stdio (LSP)");
        command.SetAction(async (parse, ct) =>
        {
            string? modelOverride = parse.GetValue(CliOptions.Model);
            var embedderOptions = CliOptions.EmbedderOptions(parse);
            // Embedding blocks pool threads (indexing workers, query embedding); keep threads free to read the protocol.
            ThreadPool.GetMinThreads(out int workers, out int io);
            ThreadPool.SetMinThreads(Math.Max(workers, 8), io);
            await using var server = new LanguageServer(Console.OpenStandardInput(), Console.OpenStandardOutput(), (modelPath, fp32) =>
            {
                // The workspace says a model that cannot be loaded once, in the log, the status and a message.
                var options = fp32 ? embedderOptions with { FullPrecision = true } : embedderOptions; // --fp32 or paperlens.model.precision
                return EmbedderFactory.TryCreate(modelPath ?? modelOverride, out var embedder, out var error, options) ? embedder : throw new EmbeddingModelException(error);
            });
            Log.Information("PaperLens language server started");
            return await server.RunAsync();
        });
        return command;
    }
}
