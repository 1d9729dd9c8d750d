using System.Runtime.InteropServices;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Image embeddings on disk, keyed by the file's SHA-256 and the augmentation: ResNet18 on CPU costs tens of ms an
/// image, so each image is embedded once per backbone (the file name carries <see cref="Backbone.Key"/>). Records are
/// appended: 32 key bytes, 1 augmentation byte, then the floats.
/// </summary>
internal sealed class ImageEmbeddingCache
{
    private readonly string _path;
    private readonly int _width;
    private readonly Dictionary<(string Hash, ImageAugmentation Augmentation), float[]> _entries = [];
    private readonly List<(byte[] Hash, ImageAugmentation Augmentation, float[] Vector)> _pending = [];

    public ImageEmbeddingCache(string cacheDir, string backboneKey, int width)
    {
        _path = Path.Combine(cacheDir, "embeddings", $"image-{backboneKey}.bin");
        _width = width;
        if (!File.Exists(_path))
        {
            return;
        }

        var bytes = File.ReadAllBytes(_path);
        var record = 33 + (width * sizeof(float));
        if (bytes.Length % record != 0)
        {
            // A run killed mid-append left part of a record; cut it so later appends stay aligned.
            using var truncate = new FileStream(_path, FileMode.Open, FileAccess.Write);
            truncate.SetLength(bytes.Length - (bytes.Length % record));
        }

        for (var offset = 0; offset + record <= bytes.Length; offset += record)
        {
            var hash = Convert.ToHexStringLower(bytes.AsSpan(offset, 32));
            var vector = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(offset + 33, width * sizeof(float))).ToArray();
            _entries[(hash, (ImageAugmentation)bytes[offset + 32])] = vector;
        }
    }

    public bool TryGet(byte[] hash, ImageAugmentation augmentation, out float[] vector) =>
        _entries.TryGetValue((Convert.ToHexStringLower(hash), augmentation), out vector!);

    public void Add(byte[] hash, ImageAugmentation augmentation, float[] vector)
    {
        _entries[(Convert.ToHexStringLower(hash), augmentation)] = vector;
        _pending.Add((hash, augmentation, vector));
    }

    /// <summary>Appends the new records; a torn tail from a killed run is ignored on the next read (whole records only).</summary>
    public void Save()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write);
        foreach (var (hash, augmentation, vector) in _pending)
        {
            stream.Write(hash);
            stream.WriteByte((byte)augmentation);
            stream.Write(MemoryMarshal.AsBytes(vector.AsSpan(0, _width)));
        }

        _pending.Clear();
    }
}
