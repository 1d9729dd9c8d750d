using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Tests.Repository;

public sealed class ModelConfigLoaderTests : IDisposable
{
    private const string Valid = """
        {
          "max_batch_size": 8,
          "inputs": [ { "name": "x", "datatype": "FP32", "dims": [3, -1] } ],
          "outputs": [ { "name": "y", "datatype": "FP32", "dims": [2] } ],
          "version_policy": { "latest": 2 }
        }
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_ResponseCacheSection_IsReadAndOffByDefault()
    {
        _temp.Write("m/config.json", Valid.Replace("\"max_batch_size\": 8", "\"max_batch_size\": 8, \"response_cache\": { \"enable\": true, \"max_entry_bytes\": 4096 }", StringComparison.Ordinal));
        _temp.Write("n/config.json", Valid);

        var cached = ModelConfigLoader.Load(Path.Combine(_temp.Path, "m"));
        var plain = ModelConfigLoader.Load(Path.Combine(_temp.Path, "n"));

        Assert.Equal(new ResponseCacheConfig { Enable = true, MaxEntryBytes = 4096 }, cached.ResponseCache);
        Assert.Null(plain.ResponseCache);
    }

    [Fact]
    public void Load_ValidConfig_ReadsFieldsAndDefaults()
    {
        _temp.Write("m/config.json", Valid);

        var config = ModelConfigLoader.Load(Path.Combine(_temp.Path, "m"));

        Assert.Equal(8, config.MaxBatchSize);
        Assert.Equal([3L, -1L], config.Inputs[0].Dims);
        Assert.Equal(["cuda", "cpu"], config.ExecutionProviders);
        Assert.Equal("all", config.GraphOptimizationLevel);
        Assert.Equal(1, config.InstanceCount);
        Assert.False(config.IntraOpSpinning);
    }

    [Fact]
    public void Load_IntraOpSpinning_IsRead()
    {
        _temp.Write("m/config.json", Valid.Replace("\"max_batch_size\": 8", "\"max_batch_size\": 8, \"intra_op_spinning\": true", StringComparison.Ordinal));

        Assert.True(ModelConfigLoader.Load(Path.Combine(_temp.Path, "m")).IntraOpSpinning);
    }

    [Theory]
    [InlineData("\"datatype\": \"FP32\", \"dims\": [3, -1]", "\"datatype\": \"FLOAT\", \"dims\": [3, -1]", "inputs[0].datatype: expected one of BOOL")]
    [InlineData("\"dims\": [3, -1]", "\"dims\": [3, 0]", "inputs[0].dims: expected dims >= 1 or -1")]
    [InlineData("\"max_batch_size\": 8", "\"max_batch_size\": -1", "max_batch_size: expected an integer >= 0, got -1")]
    [InlineData("\"version_policy\": { \"latest\": 2 }", "\"version_policy\": { \"latest\": 2, \"all\": {} }", "version_policy: expected exactly one of")]
    [InlineData("\"max_batch_size\": 8", "\"max_batch_size\": 8, \"execution_providers\": [\"tpu\"]", "execution_providers[0]: expected one of cuda, cpu, got \"tpu\"")]
    [InlineData("\"max_batch_size\": 8", "\"max_batch_sise\": 8", "max_batch_sise")]
    [InlineData("\"max_batch_size\": 8", "\"max_batch_size\": 0, \"dynamic_batching\": {}", "dynamic_batching: expected max_batch_size > 0")]
    [InlineData("\"max_batch_size\": 8", "\"max_batch_size\": 8, \"response_cache\": { \"enable\": true, \"max_entry_bytes\": -1 }", "response_cache.max_entry_bytes: expected an integer >= 0")]
    [InlineData("\"max_batch_size\": 8", "\"max_batch_size\": 8, \"response_cache\": { \"enabled\": true }", "enabled")]
    public void Load_InvalidField_ErrorNamesFileFieldAndExpectedValue(string from, string to, string expected)
    {
        var path = _temp.Write("m/config.json", Valid.Replace(from, to, StringComparison.Ordinal));

        var error = Assert.Throws<ModelConfigException>(() => ModelConfigLoader.Load(Path.Combine(_temp.Path, "m")));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingConfig_SaysWhichFile()
    {
        Directory.CreateDirectory(Path.Combine(_temp.Path, "m"));

        var error = Assert.Throws<ModelConfigException>(() => ModelConfigLoader.Load(Path.Combine(_temp.Path, "m")));

        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"latest\": 2 }", new long[] { 5, 3 })]
    [InlineData("{ \"all\": {} }", new long[] { 5, 3, 1 })]
    [InlineData("{ \"specific\": [1, 3, 9] }", new long[] { 3, 1 })]
    public void VersionPolicy_Select_ServesTheRightVersions(string policy, long[] expected)
    {
        _temp.Write("m/config.json", Valid.Replace("{ \"latest\": 2 }", policy, StringComparison.Ordinal));
        var config = ModelConfigLoader.Load(Path.Combine(_temp.Path, "m"));

        var served = config.VersionPolicy!.Select([1, 3, 5]);

        Assert.Equal(expected, served);
    }

    [Fact]
    public void FindVersions_IgnoresNonNumericFolders()
    {
        foreach (var dir in new[] { "1", "10", "2", "latest", "0", "-3" })
        {
            Directory.CreateDirectory(Path.Combine(_temp.Path, dir));
        }

        Assert.Equal([1L, 2L, 10L], ModelConfigLoader.FindVersions(_temp.Path));
    }
}
