namespace InferenceService.Hosting;

/// <summary>
/// Reads through to a request body and keeps its last 8 bytes: a compressed body's trailer (gzip's CRC-32 and size,
/// zlib's Adler-32). The body itself belongs to the server and is not disposed here.
/// </summary>
internal sealed class TailRecordingStream(Stream body) : Stream
{
    public const int Capacity = 8;

    private readonly byte[] _tail = new byte[Capacity];

    /// <summary>Bytes read so far.</summary>
    public long Count { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The last <paramref name="length"/> bytes read (at most <see cref="Capacity"/>); empty when fewer were read.</summary>
    public ReadOnlySpan<byte> Tail(int length) => Count < length ? [] : _tail.AsSpan(Capacity - length);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = body.Read(buffer);
        Record(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Record(buffer.Span[..read]);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Record(ReadOnlySpan<byte> read)
    {
        if (read.Length >= Capacity)
        {
            read[^Capacity..].CopyTo(_tail);
        }
        else
        {
            // Shift the kept bytes left (CopyTo handles the overlap) and append.
            _tail.AsSpan(read.Length).CopyTo(_tail);
            read.CopyTo(_tail.AsSpan(Capacity - read.Length));
        }

        Count += read.Length;
    }
}
