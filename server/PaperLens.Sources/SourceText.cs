using System.Text;
using PaperLens.Core;

namespace PaperLens.Sources;

/// <summary>
/// Turns a source file's bytes into text for the readers: skips empty and binary files, honours byte order
/// marks, and decodes UTF-8 with a Windows-1252 fallback for bytes that are not UTF-8 (reported once, with
/// the line of the first bad byte). Streams: only a small sample is held.
/// </summary>
internal static class SourceText
{
    private const int SampleSize = 8 * 1024;

    /// <summary>A reader over the text, or null when the file is skipped (the reason is reported).</summary>
    public static TextReader? Open(Stream stream, string path, Action<SourceProblem> report)
    {
        var sample = new byte[SampleSize];
        int length = 0, n;
        while (length < sample.Length && (n = stream.Read(sample, length, sample.Length - length)) > 0) length += n;
        var head = sample.AsSpan(0, length);
        var atFileStart = new SourceLocation(path, 1);

        if (head.Trim(" \t\r\n"u8).IsEmpty && length < sample.Length)
        {
            report(new SourceProblem(atFileStart, "empty file"));
            return null;
        }
        var (encoding, bomLength) = ByteOrderMark(head);
        if (encoding == null && LooksBinary(head))
        {
            report(new SourceProblem(atFileStart, "binary file, skipped"));
            return null;
        }
        var counting = new CountingStream(stream, sample, bomLength, length);
        encoding ??= Utf8WithFallback(counting, path, report);
        return new StreamReader(counting, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
    }

    /// <summary>
    /// Binary when more than 1 byte in 32 of the sample is NUL or another control byte that text does not use
    /// (compressed or random data has about 1 in 9; UTF-16 without a byte order mark, about 1 in 2). A stray NUL
    /// in a text file does not make it binary.
    /// </summary>
    private static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        int control = 0;
        foreach (byte b in head)
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B)) control++;
        return control > 0 && control * 32 > head.Length;
    }

    private static (Encoding?, int) ByteOrderMark(ReadOnlySpan<byte> head) => head switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (null, 3),
        [0xFF, 0xFE, 0, 0, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: false), 4),
        [0, 0, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4),
        [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 2),
        [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 2),
        _ => (null, 0),
    };

    private static Encoding Utf8WithFallback(CountingStream counting, string path, Action<SourceProblem> report)
    {
        bool reported = false;
        var fallback = new Windows1252Fallback(index =>
        {
            if (reported) return;
            reported = true;
            report(new SourceProblem(new SourceLocation(path, counting.LineOfByteInLastChunk(index)), "not UTF-8, read as Latin-1 (Windows-1252)"));
        });
        return Encoding.GetEncoding("utf-8", EncoderFallback.ReplacementFallback, fallback);
    }
}
