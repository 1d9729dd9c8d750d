using System.Security.Cryptography;
using System.Text;
using InferenceService.Runtime.Repository.Provisioning;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Runtime.Tests.Repository.Provisioning;

public sealed class ModelProvisionerTests : IDisposable
{
    private const string Content = "not really a model, but bytes with a known hash";
    private readonly TempDirectory _temp = new();
    private readonly ModelProvisioner _provisioner = new(NullLogger<ModelProvisioner>.Instance);

    public void Dispose() => _temp.Dispose();

    private static string Sha(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    private string Packages => Path.Combine(_temp.Path, "packages");

    private string Repo => Path.Combine(_temp.Path, "models");

    private void Arrange(string sourceSha, string targetSha)
    {
        _temp.Write("packages/some.package/1.2.3/tools/weights.bin", Content);
        _temp.Write("models/m/provision.json", $$"""
            { "package_id": "Some.Package", "package_version": "1.2.3",
              "files": [ { "target": "model.onnx", "source": "tools/weights.bin", "source_sha256": "{{sourceSha}}", "sha256": "{{targetSha}}" } ] }
            """);
    }

    [Fact]
    public void ProvisionAll_FreshRepository_WritesFileWithHashThenIsIdempotent()
    {
        Arrange(Sha(Content), Sha(Content));

        var first = _provisioner.ProvisionAll(Repo, Packages);
        var second = _provisioner.ProvisionAll(Repo, Packages);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        Assert.Equal(Content, File.ReadAllText(Path.Combine(Repo, "m", "1", "model.onnx")));
        Assert.True(_provisioner.IsProvisioned(Path.Combine(Repo, "m")));
    }

    [Fact]
    public void ProvisionAll_CorruptTarget_IsReplaced()
    {
        Arrange(Sha(Content), Sha(Content));
        _temp.Write("models/m/1/model.onnx", "corrupt");
        Assert.False(_provisioner.IsProvisioned(Path.Combine(Repo, "m")));

        var written = _provisioner.ProvisionAll(Repo, Packages);

        Assert.Equal(1, written);
        Assert.Equal(Content, File.ReadAllText(Path.Combine(Repo, "m", "1", "model.onnx")));
    }

    [Fact]
    public void ProvisionAll_CorruptPackageFile_RefusesAndSaysHowToFix()
    {
        Arrange(new string('a', 64), Sha(Content));

        var error = Assert.Throws<ProvisioningException>(() => _provisioner.ProvisionAll(Repo, Packages));

        Assert.Contains("expected " + new string('a', 64), error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet restore", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Repo, "m", "1", "model.onnx")));
    }

    [Fact]
    public void ProvisionAll_MissingPackage_SaysWhichPackageToRestore()
    {
        Arrange(Sha(Content), Sha(Content));

        var error = Assert.Throws<ProvisioningException>(() => _provisioner.ProvisionAll(Repo, Path.Combine(_temp.Path, "empty")));

        Assert.Contains("Some.Package 1.2.3", error.Message, StringComparison.Ordinal);
    }
}
