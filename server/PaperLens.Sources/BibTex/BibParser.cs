using System.Buffers;
using System.Text;

namespace PaperLens.Sources.BibTex;

/// <summary>
/// A streaming BibTeX/BibLaTeX parser. It yields each entry, <c>@string</c> macro and error as soon as it is read;
/// <c>@comment</c>, <c>@preamble</c> and free text between entries are skipped. A malformed entry becomes a
/// <see cref="BibError"/> and parsing resumes after it (or at the next line that starts with <c>@type{</c>).
/// </summary>
public sealed class BibParser
{
    /// <summary>The longest field value accepted, in chars; longer ones make the entry an error.</summary>
    public const int MaxValueLength = 1 << 20;

    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly SearchValues<char> BracedStops = SearchValues.Create("{}\n\r");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("{}\"\n\r");

    private readonly BibCharReader _in;
    private readonly string _path;
    private readonly Dictionary<string, string> _macros = new(StringComparer.OrdinalIgnoreCase);
    private readonly StringBuilder _value = new();
    private readonly StringBuilder _word = new();

    // The entry being read, for error messages and recovery.
    private string _key = "";
    private string _field = "";
    private char _close;
    private TextPosition _entryStart;

    private BibParser(TextReader text, string path)
    {
        _in = new BibCharReader(text);
        _path = path;
        foreach (var month in MonthNames)
            _macros[month[..3]] = month;
    }

    public static IEnumerable<BibItem> Parse(TextReader text, string path)
    {
        var parser = new BibParser(text, path);
        while (parser.Next() is { } item)
            yield return item;
    }

    public static IEnumerable<BibItem> Parse(string text, string path) => Parse(new StringReader(text), path);

    /// <summary>The next item, or null at the end of the text.</summary>
    private BibItem? Next()
    {
        while (SkipToAt(out bool atLineStart))
        {
            var start = _in.Position;
            _in.Read(); // '@'
            SkipSpaces();
            string type = ReadIdentifier().ToLowerInvariant();
            if (type.Length == 0) continue; // an '@' in free text
            SkipSpaces();
            int open = _in.Peek();
            if (type == "comment")
            {
                SkipComment(open);
                continue;
            }
            if (open is not ('{' or '('))
            {
                if (atLineStart) return new BibError(_path, start, $"expected '{{' or '(' after '@{type}'");
                continue;
            }
            _in.Read();
            _close = open == '{' ? '}' : ')';
            _entryStart = start;
            _key = "";
            _field = "";
            try
            {
                BibItem? item = type switch
                {
                    "string" => ReadMacro(start),
                    "preamble" => SkipPreamble(),
                    _ => ReadEntry(start, type),
                };
                if (item != null) return item;
            }
            catch (EntryError error)
            {
                Recover(error.Depth);
                return new BibError(_path, error.Position, error.Message);
            }
        }
        return null;
    }

    private BibEntry ReadEntry(TextPosition start, string type)
    {
        SkipSpaceInEntry();
        var keyStart = _in.Position;
        _key = ReadKey();
        SkipSpaceInEntry();
        int next = _in.Peek();
        if (_key.Length == 0)
            throw Error(start, $"entry '@{type}' has no citation key");
        if (next == '=')
            throw Error(start, $"entry '@{type}' has no citation key (found field '{_key}' instead)");

        var fields = new List<BibField>();
        if (next == ',')
        {
            _in.Read();
            ReadFields(fields);
        }
        else if (next == _close)
        {
            _in.Read();
        }
        else
        {
            throw Unexpected(next, $"expected ',' after citation key '{_key}'");
        }
        return new BibEntry(_path, start, type, _key, keyStart, fields, _in.Position);
    }

    /// <summary>Reads <c>name = value</c> pairs up to and including the entry's closing delimiter.</summary>
    private void ReadFields(List<BibField> fields)
    {
        while (true)
        {
            SkipSpaceInEntry();
            if (_in.Peek() == _close) { _in.Read(); return; }
            var nameStart = _in.Position;
            _field = ReadIdentifier().ToLowerInvariant();
            if (_field.Length == 0)
                throw Unexpected(_in.Peek(), $"expected a field name in entry '{_key}'");
            SkipSpaceInEntry();
            if (_in.Peek() != '=')
                throw Unexpected(_in.Peek(), $"expected '=' after field name '{_field}' in entry '{_key}'");
            _in.Read();
            SkipSpaceInEntry();
            var valueStart = _in.Position;
            string value = ReadValue();
            fields.Add(new BibField(_field, value, nameStart, valueStart, _in.Position));
            _field = "";
            SkipSpaceInEntry();
            int next = _in.Peek();
            if (next == ',') { _in.Read(); continue; }
            if (next == _close) { _in.Read(); return; }
            throw Unexpected(next, $"expected ',' or '{_close}' after field '{fields[^1].Name}' in entry '{_key}'");
        }
    }

    private BibMacro ReadMacro(TextPosition start)
    {
        SkipSpaceInEntry();
        _field = ReadIdentifier();
        if (_field.Length == 0)
            throw Unexpected(_in.Peek(), "expected a macro name in '@string'");
        SkipSpaceInEntry();
        if (_in.Peek() != '=')
            throw Unexpected(_in.Peek(), $"expected '=' after macro name '{_field}'");
        _in.Read();
        SkipSpaceInEntry();
        string value = ReadValue();
        ExpectClose();
        _macros[_field] = value;
        return new BibMacro(_path, start, _field, value);
    }

    private BibItem? SkipPreamble()
    {
        SkipSpaceInEntry();
        _field = "preamble";
        ReadValue();
        ExpectClose();
        return null;
    }

    private void ExpectClose()
    {
        SkipSpaceInEntry();
        if (_in.Peek() != _close) throw Unexpected(_in.Peek(), $"expected '{_close}'");
        _in.Read();
    }

    /// <summary>Reads <c>part # part # …</c> where a part is <c>{…}</c>, <c>"…"</c>, a number or a macro name.</summary>
    private string ReadValue()
    {
        _value.Clear();
        var valueStart = _in.Position;
        while (true)
        {
            int c = _in.Peek();
            if (c == '{') ReadBraced(valueStart);
            else if (c == '"') ReadQuoted(valueStart);
            else if (c >= '0' && c <= '9') ReadNumber();
            else if (IsIdentifierChar(c))
            {
                string name = ReadIdentifier();
                _value.Append(_macros.TryGetValue(name, out var expansion) ? expansion : name); // undefined macros stay as their name
            }
            else throw Unexpected(c, $"expected a value for field '{_field}' in entry '{_key}'");

            CheckLength(valueStart, depth: 1);
            SkipSpaceInEntry();
            if (_in.Peek() != '#') return _value.ToString();
            _in.Read();
            SkipSpaceInEntry();
        }
    }

    private void ReadBraced(TextPosition valueStart)
    {
        var open = _in.Position;
        _in.Read();
        int depth = 1;
        while (true)
        {
            if (_in.Column == 1 && AtEntryStart())
                throw Error(open, $"unbalanced braces: the value of field '{_field}' in entry '{_key}' is not closed before the next entry at line {_in.Line}", depth: 0);
            _in.CopyUntil(BracedStops, _value);
            CheckLength(valueStart, depth + 1);
            int c = _in.Read();
            switch (c)
            {
                case BibCharReader.Eof:
                    throw Error(open, $"unbalanced braces: the file ends inside the value of field '{_field}' in entry '{_key}'", depth: 0);
                case '{':
                    depth++;
                    break;
                case '}':
                    if (--depth == 0) return;
                    break;
            }
            _value.Append((char)c);
        }
    }

    private void ReadQuoted(TextPosition valueStart)
    {
        var open = _in.Position;
        _in.Read();
        int depth = 0;
        while (true)
        {
            bool runsOn = _in.Column == 1 && AtEntryStart();
            if (!runsOn) _in.CopyUntil(QuotedStops, _value);
            CheckLength(valueStart, depth + 1);
            int c = _in.Peek();
            if (c == BibCharReader.Eof || runsOn || (c == '}' && depth == 0))
                throw Error(open, $"unterminated quoted value of field '{_field}' in entry '{_key}'", depth: runsOn ? 0 : depth + 1);
            _in.Read();
            if (c == '"' && depth == 0) return;
            if (c == '{') depth++;
            else if (c == '}') depth--;
            _value.Append((char)c);
        }
    }

    private void CheckLength(TextPosition valueStart, int depth)
    {
        if (_value.Length > MaxValueLength)
            throw Error(valueStart, $"the value of field '{_field}' in entry '{_key}' is longer than {MaxValueLength / (1 << 20)} MB", depth);
    }

    private void ReadNumber()
    {
        while (_in.Peek() is >= '0' and <= '9') _value.Append((char)_in.Read());
    }

    private string ReadKey()
    {
        _word.Clear();
        while (true)
        {
            int c = _in.Peek();
            if (c == BibCharReader.Eof || char.IsWhiteSpace((char)c) || c is ',' or '=' or '{' or '}' or '"' or '#' || c == _close)
                return _word.ToString();
            _word.Append((char)_in.Read());
        }
    }

    private string ReadIdentifier()
    {
        if (!IsIdentifierChar(_in.Peek())) return "";
        _word.Clear();
        while (IsIdentifierChar(_in.Peek())) _word.Append((char)_in.Read());
        return _word.ToString();
    }

    private static bool IsIdentifierChar(int c) =>
        c > ' ' && c != BibCharReader.Eof && !char.IsWhiteSpace((char)c) && c is not ('"' or '#' or '%' or '\'' or '(' or ')' or ',' or '=' or '{' or '}' or '@' or '\\' or '~');

    /// <summary>Skips free text up to the next '@'; false at the end of the text.</summary>
    private bool SkipToAt(out bool atLineStart)
    {
        atLineStart = _in.Column == 1;
        while (true)
        {
            int c = _in.Peek();
            if (c == BibCharReader.Eof) return false;
            if (c == '@') return true;
            _in.Read();
            if (c == '\n') atLineStart = true;
            else if (!char.IsWhiteSpace((char)c)) atLineStart = false;
        }
    }

    /// <summary>Skips <c>@comment{…}</c> (balanced) or, without a delimiter, the rest of the line.</summary>
    private void SkipComment(int open)
    {
        if (open is '{' or '(')
        {
            _close = open == '{' ? '}' : ')';
            _in.Read();
            Recover(1);
            return;
        }
        while (_in.Peek() is not (BibCharReader.Eof or '\n')) _in.Read();
    }

    private void SkipSpaces()
    {
        while (_in.Peek() is ' ' or '\t') _in.Read();
    }

    /// <summary>Skips whitespace inside an entry; a line that starts a new entry means this one was never closed.</summary>
    private void SkipSpaceInEntry()
    {
        while (true)
        {
            if (_in.Column == 1 && AtEntryStart())
                throw Error(_entryStart, $"{Describe()} is not closed before the next entry at line {_in.Line}", depth: 0);
            int c = _in.Peek();
            if (c == BibCharReader.Eof)
                throw Error(_entryStart, $"the file ends inside {Describe()}", depth: 0);
            if (!char.IsWhiteSpace((char)c)) return;
            _in.Read();
        }
    }

    private string Describe() => _key.Length > 0 ? $"entry '{_key}'" : "an entry";

    /// <summary>True when the reader is at <c>@type{</c> or <c>@type(</c>.</summary>
    private bool AtEntryStart()
    {
        if (_in.Peek() != '@') return false;
        int i = 1;
        while (i < 64 && _in.Peek(i) is >= 'a' and <= 'z' or >= 'A' and <= 'Z') i++;
        if (i == 1) return false;
        while (_in.Peek(i) is ' ' or '\t') i++;
        return _in.Peek(i) is '{' or '(';
    }

    /// <summary>
    /// Skips the rest of a malformed entry: up to its closing delimiter at <paramref name="depth"/> open delimiters
    /// (0: stay here), a line that starts a new entry, or the end of the text.
    /// </summary>
    private void Recover(int depth)
    {
        while (depth > 0)
        {
            if (_in.Column == 1 && AtEntryStart()) return;
            int c = _in.Read();
            if (c == BibCharReader.Eof) return;
            if (depth == 1 && c == _close) return;
            if (c == '{') depth++;
            else if (c == '}' && depth > 1) depth--;
        }
    }

    private EntryError Unexpected(int c, string message)
    {
        string found = c == BibCharReader.Eof ? "the end of the file" : $"'{(char)c}'";
        return Error(_in.Position, $"{message}, found {found}");
    }

    private static EntryError Error(TextPosition at, string message, int depth = 1) => new(at, message, depth);

    /// <summary>A malformed entry: where, why, and how many delimiters are still open at the point of failure.</summary>
    private sealed class EntryError(TextPosition position, string message, int depth) : Exception(message)
    {
        public TextPosition Position { get; } = position;
        public int Depth { get; } = depth;
    }
}
