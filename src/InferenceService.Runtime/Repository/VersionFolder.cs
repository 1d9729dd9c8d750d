using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace InferenceService.Runtime.Repository;

/// <summary>Checks on a version folder before it may be loaded: complete, and matching its sha256 list if it has one.</summary>
internal static class VersionFolder
{
    public const string Sha256FileName = "sha256";

    /// <summary>A fingerprint of the model folder (config and every version's files: names, sizes, times) to notice changes.</summary>
    public static string Fingerprint(string modelDir)
    {
        var builder = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(modelDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            // Hidden entries (a publisher's temp folder) are not part of the model until renamed into place.
            if (Path.GetRelativePath(modelDir, file).Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')))
            {
                continue;
            }

            var info = new FileInfo(file);
            builder.Append(Path.GetRelativePath(modelDir, file)).Append('|').Append(info.Length.ToString(CultureInfo.InvariantCulture))
                .Append('|').Append(info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>Throws when a file listed in the folder's <c>sha256</c> file (sha256sum format) is missing or differs.</summary>
    public static void VerifyChecksums(string versionDir)
    {
        var listPath = Path.Combine(versionDir, Sha256FileName);
        if (!File.Exists(listPath))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(listPath).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                throw new InvalidDataException($"{listPath}: expected lines of '<sha256>  <file>', got '{line}'.");
            }

            var file = Path.Combine(versionDir, parts[1].TrimStart('*'));
            if (!File.Exists(file))
            {
                throw new InvalidDataException($"{listPath} lists {parts[1]}, which is missing (half-written version?).");
            }

            using var stream = File.OpenRead(file);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!actual.Equals(parts[0], StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{file} has sha256 {actual}, but {Sha256FileName} says {parts[0]}.");
            }
        }
    }
}
