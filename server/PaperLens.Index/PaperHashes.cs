using System.Security.Cryptography;
using System.Text;
using PaperLens.Core;

namespace PaperLens.Index;

/// <summary>Content hashes that decide what re-indexing must redo.</summary>
public static class PaperHashes
{
    /// <summary>The text a paper is embedded from: title and abstract.</summary>
    public static string EmbeddingText(Paper p) =>
        string.IsNullOrWhiteSpace(p.Abstract) ? p.Title : $"{p.Title}. {p.Abstract}";

    /// <summary>Hash of everything stored for a paper; a change rewrites its row.</summary>
    public static string Content(Paper p)
    {
        var sb = new StringBuilder();
        foreach (var part in new object?[] { p.Key, p.HasSourceKey, p.Title, string.Join(";", p.Authors.Select(a => a.Family + "," + a.Given)),
                     p.Year, p.Venue, p.Abstract, p.Doi, p.ArxivId, p.Url, p.EntryType, p.Source.File, p.Source.Line })
            sb.Append(part).Append('\u001f');
        return Hash(sb.ToString());
    }

    /// <summary>Hash of <see cref="EmbeddingText"/>; a change re-embeds the paper.</summary>
    public static string Text(Paper p) => Hash(EmbeddingText(p));

    public static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)).AsSpan(0, 16));

    /// <summary>A hash as the index stores it (schema 6): its 16 bytes; text that is not hex keeps its UTF-8 bytes, as the migration does.</summary>
    internal static byte[] ToBytes(string hash) =>
        hash.Length % 2 == 0 && hash.All(char.IsAsciiHexDigit) ? Convert.FromHexString(hash) : Encoding.UTF8.GetBytes(hash);

    /// <summary>A stored hash as the hex text <see cref="Hash"/> makes.</summary>
    internal static string FromBytes(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
