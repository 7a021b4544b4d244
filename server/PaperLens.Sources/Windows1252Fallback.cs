using System.Text;

namespace PaperLens.Sources;

/// <summary>Decodes each byte that is not valid UTF-8 as Windows-1252 (Latin-1 plus the 0x80–0x9F punctuation), telling <paramref name="onBadByte"/> where.</summary>
internal sealed class Windows1252Fallback(Action<int> onBadByte) : DecoderFallback
{
    // Windows-1252 characters for 0x80–0x9F; the five unassigned bytes keep their Latin-1 control code.
    private const string High = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

    public override int MaxCharCount => 4;

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(onBadByte);

    public static char Decode(byte b) => b is >= 0x80 and <= 0x9F ? High[b - 0x80] : (char)b;

    private sealed class Buffer(Action<int> onBadByte) : DecoderFallbackBuffer
    {
        private readonly char[] _chars = new char[4];
        private int _count, _next;

        public override int Remaining => _count - _next;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            onBadByte(index);
            _count = Math.Min(bytesUnknown.Length, _chars.Length);
            for (int i = 0; i < _count; i++) _chars[i] = Decode(bytesUnknown[i]);
            _next = 0;
            return _count > 0;
        }

        public override char GetNextChar() => _next < _count ? _chars[_next++] : '\0';

        public override bool MovePrevious()
        {
            if (_next == 0) return false;
            _next--;
            return true;
        }

        public override void Reset() => _count = _next = 0;
    }
}
