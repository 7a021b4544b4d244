using System.Text;
using PaperLens.Core;

namespace PaperLens.Sources.CslJson;

/// <summary>One top-level element of a JSON array, as raw text, with the 1-based line where it starts (Json is empty for one skipped as too large).</summary>
internal readonly record struct ScannedElement(int Line, string Json, bool IsObject);

/// <summary>
/// Splits a top-level JSON array (or a single object) into its elements without parsing the whole document,
/// so a large file streams and one broken element does not lose the others. Tracks strings and nesting only;
/// each element is parsed properly afterwards.
/// </summary>
internal sealed class JsonArrayScanner(TextReader text, string path, Action<SourceProblem> report)
{
    private const int MaxElementLength = 16 * 1024 * 1024;

    private readonly char[] _buffer = new char[64 * 1024];
    private int _pos, _len, _line = 1;

    public IEnumerable<ScannedElement> Elements()
    {
        if (!SkipWhitespace()) yield break;
        var first = Peek();
        if (first == '{')
        {
            if (Capture() is { } single) yield return single;
            if (SkipWhitespace()) Report(_line, "unexpected text after the JSON object, ignored");
            yield break;
        }
        if (first != '[')
        {
            Report(_line, "not a CSL-JSON file: expected a JSON array of items");
            yield break;
        }
        Next();
        while (true)
        {
            if (!SkipWhitespaceAndCommas())
            {
                Report(_line, "unexpected end of file: the JSON array is not closed (truncated file?)");
                yield break;
            }
            if (Peek() == ']')
            {
                Next();
                if (SkipWhitespace()) Report(_line, "unexpected text after the JSON array, ignored");
                yield break;
            }
            var element = Capture();
            if (element == null) yield break;
            yield return element.Value;
        }
    }

    /// <summary>Reads one value (object, array, string or scalar); null at a truncated end, which is reported.</summary>
    private ScannedElement? Capture()
    {
        int startLine = _line;
        var sb = new StringBuilder();
        bool isObject = Peek() == '{', inString = false, escaped = false, tooLong = false;
        int depth = 0;
        while (true)
        {
            if (!Fill())
            {
                if (depth == 0 && !inString && sb.Length > 0) break;   // a scalar ending at end of file
                Report(startLine, "unexpected end of file inside the item starting here (truncated file?)");
                return null;
            }
            char c = _buffer[_pos];
            if (!inString && depth == 0 && sb.Length > 0 && (c is ',' or ']' || char.IsWhiteSpace(c)))
                break;                                                   // end of a scalar element
            _pos++;
            if (c == '\n') _line++;
            if (sb.Length < MaxElementLength) sb.Append(c); else tooLong = true;

            if (inString)
            {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') inString = true;
            else if (c is '{' or '[') depth++;
            else if (c is '}' or ']')
            {
                depth--;
                if (depth <= 0) break;
            }
        }
        if (tooLong)
        {
            Report(startLine, $"item too large (over {MaxElementLength / (1024 * 1024)} MB), skipped");
            return new ScannedElement(startLine, "", false);
        }
        return new ScannedElement(startLine, sb.ToString(), isObject);
    }

    private bool SkipWhitespace()
    {
        while (Fill())
        {
            char c = _buffer[_pos];
            if (!char.IsWhiteSpace(c)) return true;
            if (c == '\n') _line++;
            _pos++;
        }
        return false;
    }

    private bool SkipWhitespaceAndCommas()
    {
        while (SkipWhitespace())
        {
            if (Peek() != ',') return true;
            _pos++;
        }
        return false;
    }

    private char Peek() => _buffer[_pos];

    private void Next()
    {
        if (_buffer[_pos] == '\n') _line++;
        _pos++;
    }

    private bool Fill()
    {
        if (_pos < _len) return true;
        _len = text.Read(_buffer, 0, _buffer.Length);
        _pos = 0;
        return _len > 0;
    }

    private void Report(int line, string message) => report(new SourceProblem(new SourceLocation(path, line), message));
}
