using System.Text.Json;
using PaperLens.Features;

namespace PaperLens.Server.Lsp;

/// <summary>Reads the `paperlens` settings object (from initializationOptions or didChangeConfiguration) into workspace settings.</summary>
public static class LspSettings
{
    public static WorkspaceSettings Read(JsonElement? json, WorkspaceSettings current)
    {
        if (json is not { ValueKind: JsonValueKind.Object } root) return current;
        if (root.TryGetProperty("paperlens", out var section) && section.ValueKind == JsonValueKind.Object) root = section;
        return current with
        {
            CorpusPaths = Get(root, "corpus", "paths") is { ValueKind: JsonValueKind.Array } paths
                ? paths.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()!).Where(p => p.Length > 0).ToArray()
                : Get(root, "corpus", "paths") is { ValueKind: JsonValueKind.String } one ? [one.GetString()!] : current.CorpusPaths,
            IndexPath = String(root, "index", "path") ?? current.IndexPath,
            ModelPath = String(root, "model", "path") ?? current.ModelPath,
            ModelFullPrecision = String(root, "model", "precision") is { } precision ? precision.Equals("fp32", StringComparison.OrdinalIgnoreCase) : current.ModelFullPrecision,
            CompletionMaxItems = Int(root, "completion", "maxItems") ?? current.CompletionMaxItems,
            RelatedLimit = Int(root, "related", "limit") ?? current.RelatedLimit,
            LatexCiteCommands = Get(root, "latex", "citeCommands") is { ValueKind: JsonValueKind.Array } macros
                ? macros.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!.TrimStart('\\').Trim())
                    .Where(m => m.Length > 0 && m.All(char.IsAsciiLetter)).ToHashSet(StringComparer.Ordinal)
                : current.LatexCiteCommands,
        };
    }

    /// <summary>`clientCommands` of initializationOptions: the commands a client implements itself (the VS Code extension sends them).</summary>
    public static IReadOnlySet<string> ClientCommands(JsonElement? json) =>
        json is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("clientCommands", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();

    private static JsonElement? Get(JsonElement root, string section, string name)
    {
        if (root.TryGetProperty(section, out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v)) return v;
        return root.TryGetProperty(section + "." + name, out var flat) ? flat : null; // "corpus.paths" flattened form
    }

    private static string? String(JsonElement root, string section, string name) =>
        Get(root, section, name) is { ValueKind: JsonValueKind.String } v && v.GetString() is { Length: > 0 } s ? s : null;

    private static int? Int(JsonElement root, string section, string name) =>
        Get(root, section, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out int i) && i > 0 ? i : null;
}
