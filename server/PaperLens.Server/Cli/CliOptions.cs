using System.CommandLine;
using System.CommandLine.Parsing;
using PaperLens.Embedding;

namespace PaperLens.Server.Cli;

/// <summary>Options shared by every verb.</summary>
public static class CliOptions
{
    public static readonly Option<string?> Index = new("--index") { Description = "Index file (default: a per-user cache folder)", Recursive = true };
    public static readonly Option<string?> Model = new("--model") { Description = "Embedding model folder (default: the bundled snowflake-arctic-embed-xs)", Recursive = true };
    public static readonly Option<bool> Fp32 = new("--fp32") { Description = "Load the model's full-precision file (model.json \"fp32Model\") instead of its int8 default: about 2× slower", Recursive = true };
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Log progress details to stderr", Recursive = true };

    /// <summary>The embedder settings that the shared options ask for.</summary>
    public static EmbedderOptions EmbedderOptions(ParseResult parse) => new() { FullPrecision = parse.GetValue(Fp32) };
}

/// <summary>Parse errors in the user's words: the allowed values, not the .NET type of an option.</summary>
public static class CliErrors
{
    public static string Describe(ParseError error)
    {
        var (name, type, tokens) = error.SymbolResult switch
        {
            OptionResult o => (o.Option.Name, o.Option.ValueType, o.Tokens),
            ArgumentResult { Parent: OptionResult o } => (o.Option.Name, o.Option.ValueType, o.Tokens),
            ArgumentResult a => (a.Argument.Name, a.Argument.ValueType, a.Tokens),
            _ => (null, null, null),
        };
        if (name is null || type is null || Expected(type) is not { } expected || !error.Message.Contains("expected type", StringComparison.Ordinal))
            return error.Message;
        string given = tokens is { Count: > 0 } ? string.Join(" ", tokens.Select(t => t.Value)) : "";
        return $"{name} expects {expected}, not '{given}'";
    }

    private static string? Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return "one of: " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()));
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type == typeof(double) || type == typeof(float)) return "a number";
        if (type == typeof(bool)) return "true or false";
        return null;
    }
}

/// <summary>A clear, expected failure: printed as one message, never as a stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
