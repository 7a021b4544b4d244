namespace PaperLens.Sources;

/// <summary>
/// A read-only stream that first replays an already-read sample, then reads on, counting newlines so that the
/// line of a byte in the chunk last read can be told (for reporting where a file stops being UTF-8).
/// </summary>
internal sealed class CountingStream(Stream inner, byte[] sample, int sampleStart, int sampleEnd) : Stream
{
    private int _samplePos = sampleStart;
    private byte[] _lastChunk = [];
    private int _lastChunkLength;
    private int _newlinesBeforeLastChunk, _newlinesInLastChunk;

    /// <summary>1-based line of the byte at <paramref name="index"/> within the chunk last read (clamped to the chunk).</summary>
    public int LineOfByteInLastChunk(int index)
    {
        index = Math.Clamp(index, 0, _lastChunkLength);
        return _newlinesBeforeLastChunk + _lastChunk.AsSpan(0, index).Count((byte)'\n') + 1;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        if (_samplePos < sampleEnd)
        {
            n = Math.Min(buffer.Length, sampleEnd - _samplePos);
            sample.AsSpan(_samplePos, n).CopyTo(buffer);
            _samplePos += n;
        }
        else n = inner.Read(buffer);
        Remember(buffer[..n]);
        return n;
    }

    private void Remember(ReadOnlySpan<byte> chunk)
    {
        _newlinesBeforeLastChunk += _newlinesInLastChunk;
        _newlinesInLastChunk = chunk.Count((byte)'\n');
        if (_lastChunk.Length < chunk.Length) _lastChunk = new byte[chunk.Length];
        chunk.CopyTo(_lastChunk);
        _lastChunkLength = chunk.Length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
