namespace PaperLens.Tests;

/// <summary>
/// Several files in one string. `%! name` starts a file; `|` marks the cursor (at most once).
/// Write `||` for a literal bar.
/// </summary>
public sealed class Fixture
{
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);
    public string? CursorFile { get; private set; }
    public int CursorOffset { get; private set; } = -1;

    public string CursorText => Files[CursorFile ?? throw new InvalidOperationException("fixture has no cursor")];

    public static Fixture Parse(string source)
    {
        var fixture = new Fixture();
        string? name = null;
        var body = new System.Text.StringBuilder();
        void Flush()
        {
            if (name is null) return;
            var text = body.ToString();
            if (text.EndsWith('\n')) text = text[..^1];
            int cursor = -1;
            var clean = new System.Text.StringBuilder();
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '|' && i + 1 < text.Length && text[i + 1] == '|') { clean.Append('|'); i++; }
                else if (text[i] == '|') cursor = clean.Length;
                else clean.Append(text[i]);
            }
            fixture.Files[name] = clean.ToString();
            if (cursor >= 0) { fixture.CursorFile = name; fixture.CursorOffset = cursor; }
            body.Clear();
        }
        foreach (var line in source.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.StartsWith("%! ", StringComparison.Ordinal)) { Flush(); name = line[3..].Trim(); continue; }
            body.Append(line).Append('\n');
        }
        Flush();
        return fixture;
    }
}
