using System.Security.Cryptography;
using InferenceService.Runtime.Pipelines;
using InferenceService.Training.Models;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Embeds image files through a <see cref="BackboneEmbedder"/>, batch by batch, taking what the cache already has;
/// an unreadable file is skipped and listed rather than ending the run.
/// </summary>
internal sealed class ImageFolderEmbeddings(BackboneEmbedder embedder, ImageEmbeddingCache cache, ITrainingObserver observer)
{
    private const int BatchSize = 8;

    /// <summary>Files that could not be decoded, with the reason.</summary>
    public List<(string File, string Reason)> Skipped { get; } = [];

    /// <summary>SHA-256 of each file embedded so far (the data hash is built from them).</summary>
    public Dictionary<string, byte[]> Hashes { get; } = [];

    /// <summary>One embedding per file, null where the file is unreadable.</summary>
    public float[]?[] Embed(IReadOnlyList<string> files, ImageAugmentation augmentation)
    {
        var result = new float[]?[files.Count];
        var pixels = new float[BatchSize * embedder.PixelsPerImage];
        var pending = new List<(int Index, byte[] Hash)>();
        for (var i = 0; i < files.Count; i++)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(files[i]);
            }
            catch (IOException e)
            {
                Skip(files[i], e.Message);
                continue;
            }

            var hash = Hashes[files[i]] = SHA256.HashData(bytes);
            if (cache.TryGet(hash, augmentation, out var cached))
            {
                result[i] = cached;
                observer.StepDone(0);
                continue;
            }

            try
            {
                embedder.Preprocess(bytes, files[i], augmentation, pixels.AsSpan(pending.Count * embedder.PixelsPerImage, embedder.PixelsPerImage));
            }
            catch (PipelineException e)
            {
                Skip(files[i], e.Message);
                continue;
            }

            pending.Add((i, hash));
            if (pending.Count == BatchSize)
            {
                Flush(pending, pixels, augmentation, result);
            }
        }

        Flush(pending, pixels, augmentation, result);
        cache.Save();
        return result;
    }

    private void Flush(List<(int Index, byte[] Hash)> pending, float[] pixels, ImageAugmentation augmentation, float[]?[] result)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var vectors = embedder.Embed(pending.Count == BatchSize ? pixels : pixels[..(pending.Count * embedder.PixelsPerImage)], pending.Count);
        for (var k = 0; k < pending.Count; k++)
        {
            result[pending[k].Index] = vectors[k];
            cache.Add(pending[k].Hash, augmentation, vectors[k]);
            observer.StepDone(0);
        }

        pending.Clear();
    }

    private void Skip(string file, string reason)
    {
        Skipped.Add((file, reason));
        observer.StepDone(0);
        observer.Message($"skipped {file}: {reason}");
    }
}
