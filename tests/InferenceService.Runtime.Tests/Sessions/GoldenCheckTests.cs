using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;

namespace InferenceService.Runtime.Tests.Sessions;

/// <summary>The model is <see cref="TinyGraphs.AddOne"/>: x = [1, 2, 3, 4] answers y = [2, 3, 4, 5].</summary>
public sealed class GoldenCheckTests : IDisposable
{
    private readonly ModelFolder _folder = new(TinyGraphs.AddOne());
    private readonly ModelConfig _config = TinyConfigs.AddOne();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_GoldenTheModelReproduces_Passes()
    {
        _folder.WriteGolden(Golden("[2, 3, 4, 5]", tolerance: "1e-6"));
        using var pool = _folder.Open(_config);

        await GoldenCheck.RunAsync(_folder.VersionDir, _config, pool, default);
    }

    [Fact]
    public async Task RunAsync_OutputOffByMoreThanTheTolerance_ThrowsNamingTheOutput()
    {
        _folder.WriteGolden(Golden("[2, 3, 4, 5.1]", tolerance: "0.01"));
        using var pool = _folder.Open(_config);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => GoldenCheck.RunAsync(_folder.VersionDir, _config, pool, default));

        Assert.Contains("output 'y'[3] is 5, golden 5.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OutputOffByLessThanTheTolerance_Passes()
    {
        _folder.WriteGolden(Golden("[2.005, 3, 4, 4.995]", tolerance: "0.01"));
        using var pool = _folder.Open(_config);

        await GoldenCheck.RunAsync(_folder.VersionDir, _config, pool, default);
    }

    [Fact]
    public async Task RunAsync_NoTolerance_Uses1e4()
    {
        _folder.WriteGolden(Golden("[2, 3, 4, 5.001]", tolerance: null));
        using var pool = _folder.Open(_config);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => GoldenCheck.RunAsync(_folder.VersionDir, _config, pool, default));

        Assert.Contains("(tolerance 0.0001)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_GoldenWithFewerElements_ThrowsNamingBothCounts()
    {
        _folder.WriteGolden(Golden("[2, 3, 4]", tolerance: "0.01"));
        using var pool = _folder.Open(_config);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => GoldenCheck.RunAsync(_folder.VersionDir, _config, pool, default));

        Assert.Contains("output 'y' has 4 elements, golden has 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoGoldenFile_DoesNotRunTheModel()
    {
        var pool = _folder.Open(_config);
        pool.Dispose();

        // A disposed pool throws on any run, so completing shows nothing was run.
        await GoldenCheck.RunAsync(_folder.VersionDir, _config, pool, default);
    }

    [Fact]
    public async Task RunAsync_Fp16OutputTheModelReproduces_Passes()
    {
        using var folder = new ModelFolder(TinyGraphs.CastToFloat16());
        var config = TinyConfigs.Identity("FP32") with
        {
            Inputs = [new TensorConfig { Name = "x", Datatype = "FP32", Dims = [-1] }],
            Outputs = [new TensorConfig { Name = "y", Datatype = "FP16", Dims = [-1] }],
        };
        folder.WriteGolden("""
            { "inputs": [ { "name": "x", "datatype": "FP32", "shape": [3], "data": [0.5, 1, -2] } ],
              "outputs": [ { "name": "y", "data": [0.5, 1, -2] } ], "tolerance": 1e-3 }
            """);
        using var pool = folder.Open(config);

        await GoldenCheck.RunAsync(folder.VersionDir, config, pool, default);
    }

    private static string Golden(string expectedY, string? tolerance) => $$"""
        { "inputs": [ { "name": "x", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3, 4] } ],
          "outputs": [ { "name": "y", "data": {{expectedY}} } ]{{(tolerance is null ? string.Empty : ", \"tolerance\": " + tolerance)}} }
        """;
}
