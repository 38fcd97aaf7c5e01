using System;
using System.Buffers;

namespace Cairn.Client.Internal
{
    /// <summary>A growable byte buffer for <see cref="System.Text.Json.Utf8JsonWriter"/> (netstandard2.1 has no ArrayBufferWriter).</summary>
    internal sealed class BufferWriter : IBufferWriter<byte>
    {
        private byte[] _buffer;
        private int _written;

        public BufferWriter(int capacity = 512) => _buffer = new byte[capacity];

        public int WrittenCount => _written;

        public ReadOnlySpan<byte> WrittenSpan => new ReadOnlySpan<byte>(_buffer, 0, _written);

        public ArraySegment<byte> WrittenSegment => new ArraySegment<byte>(_buffer, 0, _written);

        public void Clear() => _written = 0;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsSpan(_written);
        }

        private void Ensure(int sizeHint)
        {
            var needed = Math.Max(sizeHint, 1);
            if (_buffer.Length - _written < needed)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _written + needed));
            }
        }
    }
}
