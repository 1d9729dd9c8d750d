using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Caches corpus embeddings on disk: MiniLM on CPU costs ~16 ms per text, so the corpus is embedded once.
/// The key hashes the texts, the token cap, the model files' identity (vocab hash, model size) and how texts are
/// tokenised (<see cref="Tokenisation"/>).
/// </summary>
internal static class EmbeddingCache
{
    /// <summary>Changed whenever tokenisation changes, so embeddings of other token ids are never reused.</summary>
    private const string Tokenisation = "runtime TextTokenizer, ICU normalisation";

    public static float[][] GetOrCompute(string cacheDir, string miniLmDir, int maxTokens, IReadOnlyList<string> texts, Func<float[][]> compute)
    {
        var key = Key(miniLmDir, maxTokens, texts);
        var path = Path.Combine(cacheDir, "embeddings", $"minilm-{key}.bin");
        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            var all = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            if (all.Length == texts.Count * MiniLmEmbedder.Dimensions)
            {
                return [.. Enumerable.Range(0, texts.Count).Select(i => all.AsSpan(i * MiniLmEmbedder.Dimensions, MiniLmEmbedder.Dimensions).ToArray())];
            }
        }

        var embeddings = compute();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var flat = embeddings.SelectMany(e => e).ToArray();
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, MemoryMarshal.AsBytes(flat.AsSpan()).ToArray());
        File.Move(temp, path, overwrite: true);
        return embeddings;
    }

    private static string Key(string miniLmDir, int maxTokens, IReadOnlyList<string> texts)
    {
        var (model, vocab) = MiniLmEmbedder.RequireFiles(miniLmDir);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(vocab));
        hash.AppendData(BitConverter.GetBytes(new FileInfo(model).Length));
        hash.AppendData(BitConverter.GetBytes(maxTokens));
        hash.AppendData(Encoding.UTF8.GetBytes(Tokenisation));
        foreach (var text in texts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
