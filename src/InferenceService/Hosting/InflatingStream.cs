using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace InferenceService.Hosting;

/// <summary>
/// A request body inflated from gzip or zlib, which the handlers read as if it had been sent plain. Two things .NET's
/// decoders leave to the caller are done here. A body that inflates past the limit is refused (413) at the read that
/// crosses it, so a compression bomb never buffers more than the limit. A body cut short is refused (400): GZipStream
/// and ZLibStream end quietly when their input does, so at the end the trailer's checksum (and gzip's size) is compared
/// with what was inflated; a whole body's trailer was already checked by the decoder, so this only catches the cut.
/// </summary>
internal sealed class InflatingStream : Stream
{
    private readonly TailRecordingStream _compressed;
    private readonly Stream _decoder;
    private readonly ContentCoding _coding;
    private readonly long _limit;
    private readonly Crc32 _crc32 = new();
    private readonly Adler32 _adler32 = new();
    private long _inflated;
    private bool _ended;

    public InflatingStream(Stream body, ContentCoding coding, long limit)
    {
        _compressed = new TailRecordingStream(body);
        _decoder = coding == ContentCoding.Gzip
            ? new GZipStream(_compressed, CompressionMode.Decompress)
            : new ZLibStream(_compressed, CompressionMode.Decompress);
        _coding = coding;
        _limit = limit;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    private string Name => _coding == ContentCoding.Gzip ? "gzip" : "deflate";

    /// <summary>A raw deflate body is the likely mistake behind a bad deflate one.</summary>
    private string Hint => _coding == ContentCoding.Deflate
        ? "; Content-Encoding deflate means the zlib format (RFC 1950, what zlib.compress makes), not raw deflate."
        : ".";

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _decoder.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(e);
        }

        if (read == 0 && !buffer.IsEmpty && !_ended)
        {
            _compressed.CopyTo(Null);
            End();
        }

        Count(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _decoder.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(e);
        }

        // A zero-byte read (a pipe waiting for data) returns 0 without meaning the end.
        if (read == 0 && !buffer.IsEmpty && !_ended)
        {
            // Whatever follows the compressed data (nothing, in a well-formed body) is read so the tail is the body's end.
            await _compressed.CopyToAsync(Null, cancellationToken).ConfigureAwait(false);
            End();
        }

        Count(buffer.Span[..read]);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Count(ReadOnlySpan<byte> inflated)
    {
        _inflated += inflated.Length;
        if (_inflated > _limit)
        {
            throw new BadHttpRequestException(
                $"The {Name} request body inflates to more than {_limit} bytes (Limits:MaxRequestBodyBytes applies to the inflated size).",
                StatusCodes.Status413PayloadTooLarge);
        }

        if (_coding == ContentCoding.Gzip)
        {
            _crc32.Append(inflated);
        }
        else
        {
            _adler32.Append(inflated);
        }
    }

    private void End()
    {
        _ended = true;
        bool whole;
        if (_coding == ContentCoding.Gzip)
        {
            // RFC 1952: CRC-32 then the size modulo 2^32, both little-endian.
            var trailer = _compressed.Tail(8);
            whole = trailer.Length == 8
                && BinaryPrimitives.ReadUInt32LittleEndian(trailer) == _crc32.GetCurrentHashAsUInt32()
                && BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == unchecked((uint)_inflated);
        }
        else
        {
            // RFC 1950: Adler-32, big-endian.
            var trailer = _compressed.Tail(4);
            whole = trailer.Length == 4 && BinaryPrimitives.ReadUInt32BigEndian(trailer) == _adler32.Value;
        }

        if (!whole)
        {
            throw new BadHttpRequestException(
                $"The {Name} request body is truncated or corrupt: it ends without a trailer matching the {_inflated} bytes it inflates to"
                + (_coding == ContentCoding.Gzip ? " (one gzip member is expected)" : string.Empty) + Hint,
                StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>The decoder's own message ("unsupported compression method") says nothing useful to a client.</summary>
    private BadHttpRequestException Corrupt(InvalidDataException e) =>
        new($"The {Name} request body is corrupt: it is not {Name} data, or it was damaged on the way{Hint}", StatusCodes.Status400BadRequest, e);
}
