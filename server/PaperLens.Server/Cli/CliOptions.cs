using System.CommandLine;

namespace PaperLens.Server.Cli;

/// <summary>Options shared by every verb.</summary>
public static class CliOptions
{
    public static readonly Option<string?> Index = new("--index") { Description = "Index file (default: a per-user cache folder)", Recursive = true };
    public static readonly Option<string?> Model = new("--model") { Description = "Embedding model folder (default: the bundled snowflake-arctic-embed-xs)", Recursive = true };
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Log progress details to stderr", Recursive = true };
}

/// <summary>A clear, expected failure: printed as one message, never as a stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
