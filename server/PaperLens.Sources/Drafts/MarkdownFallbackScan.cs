namespace PaperLens.Sources.Drafts;

/// <summary>
/// The parts of a Markdown text where an `@` is never a citation, found without Markdig: for texts Markdig refuses
/// (nesting deeper than its limit), and for the markup inside HTML blocks, whose text pandoc reads as Markdown.
/// </summary>
internal static class MarkdownFallbackScan
{
    /// <summary>Front matter, fenced and indented code blocks, code spans and autolinks, by a scan of lines.</summary>
    public static (List<TextSpan> Excluded, string? FrontMatter) NonProse(string text)
    {
        var excluded = new List<TextSpan>();
        string? frontMatter = null;
        int lineStart = 0;
        string? fence = null;
        int fenceStart = 0;
        bool previousBlank = true, inIndentedCode = false;
        for (int lineNumber = 0; lineStart <= text.Length; lineNumber++)
        {
            int newline = text.IndexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.Length : newline;
            var line = text.AsSpan(lineStart, lineEnd - lineStart).TrimEnd('\r');
            var trimmed = line.TrimStart(' ');
            if (lineNumber == 0 && line is "---")
            {
                int close = FrontMatterEnd(text, lineEnd);
                if (close > 0)
                {
                    frontMatter = text[lineStart..close];
                    excluded.Add(new TextSpan(lineStart, close - lineStart));
                    lineStart = close;
                    continue;
                }
            }
            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.Trim().Length >= fence.Length && trimmed.Trim().TrimStart(fence[0]).IsEmpty)
                {
                    excluded.Add(new TextSpan(fenceStart, lineEnd - fenceStart));
                    fence = null;
                }
            }
            else if (line.Length - trimmed.Length <= 3 && (trimmed.StartsWith("```") || trimmed.StartsWith("~~~")))
            {
                int count = 0;
                while (count < trimmed.Length && trimmed[count] == trimmed[0]) count++;
                fence = new string(trimmed[0], count);
                fenceStart = lineStart;
            }
            else if (!line.IsWhiteSpace() && (line.StartsWith("    ") || line.StartsWith("\t")) && (previousBlank || inIndentedCode))
            {
                excluded.Add(new TextSpan(lineStart, lineEnd - lineStart));
                inIndentedCode = true;
            }
            else
            {
                if (!line.IsWhiteSpace()) inIndentedCode = false;
                AddInlineCode(text, lineStart, lineEnd, excluded);
            }
            previousBlank = line.IsWhiteSpace();
            if (newline < 0) break;
            lineStart = newline + 1;
        }
        if (fence is not null) excluded.Add(new TextSpan(fenceStart, text.Length - fenceStart)); // an unclosed fence runs to the end
        return (excluded, frontMatter);
    }

    /// <summary>The tags, comments and `<code>…</code>` contents inside an HTML block; the text between them stays prose.</summary>
    public static IEnumerable<TextSpan> HtmlMarkup(string text, TextSpan block)
    {
        int end = block.End, i = block.Start;
        while (i < end)
        {
            int open = text.IndexOf('<', i, end - i);
            if (open < 0) yield break;
            if (text.AsSpan(open).StartsWith("<!--", StringComparison.Ordinal))
            {
                int closeComment = text.IndexOf("-->", open, end - open, StringComparison.Ordinal);
                int stop = closeComment < 0 ? end : closeComment + 3;
                yield return new TextSpan(open, stop - open);
                i = stop;
                continue;
            }
            int close = text.IndexOf('>', open, end - open);
            int tagEnd = close < 0 ? end : close + 1;
            if (text.AsSpan(open, tagEnd - open).StartsWith("<code", StringComparison.OrdinalIgnoreCase))
            {
                int codeEnd = text.IndexOf("</code>", tagEnd, end - tagEnd, StringComparison.OrdinalIgnoreCase);
                tagEnd = codeEnd < 0 ? end : codeEnd + "</code>".Length;
            }
            yield return new TextSpan(open, tagEnd - open);
            i = tagEnd;
        }
    }

    private static int FrontMatterEnd(string text, int firstLineEnd)
    {
        int at = firstLineEnd + 1;
        while (at < text.Length)
        {
            int newline = text.IndexOf('\n', at);
            int lineEnd = newline < 0 ? text.Length : newline;
            var line = text.AsSpan(at, lineEnd - at).TrimEnd('\r');
            if (line is "---" or "...") return lineEnd;
            if (newline < 0) break;
            at = newline + 1;
        }
        return -1;
    }

    /// <summary>Backtick code spans and `<scheme://…>` autolinks on one line.</summary>
    private static void AddInlineCode(string text, int start, int end, List<TextSpan> excluded)
    {
        int i = start;
        while (i < end)
        {
            char c = text[i];
            if (c == '`')
            {
                int run = 0;
                while (i + run < end && text[i + run] == '`') run++;
                int close = text.IndexOf(new string('`', run), i + run, end - i - run, StringComparison.Ordinal);
                if (close < 0) { i += run; continue; }
                excluded.Add(new TextSpan(i, close + run - i));
                i = close + run;
            }
            else if (c == '<')
            {
                int close = text.IndexOf('>', i, end - i);
                if (close > 0 && text.AsSpan(i, close - i).Contains(":", StringComparison.Ordinal)) excluded.Add(new TextSpan(i, close + 1 - i));
                i = close > 0 ? close + 1 : i + 1;
            }
            else i++;
        }
    }
}
