using System.Text.Json;

namespace InferenceService.Bench;

/// <summary>The request bodies wrk sends, one file each.</summary>
internal static class RequestBodies
{
    public static int Write(BenchArgs args)
    {
        var dir = args.Get("out");
        Directory.CreateDirectory(dir);
        var image = Workloads.ImageData(1);
        var bytes = new byte[image.Length * sizeof(float)];
        Buffer.BlockCopy(image, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(Path.Combine(dir, "resnet18.bin"), bytes);
        foreach (var length in new[] { 16, 128 })
        {
            File.WriteAllText(Path.Combine(dir, $"minilm{length}.json"), V2Json(length, binaryOutputs: false));
            File.WriteAllText(Path.Combine(dir, $"minilm{length}-binout.json"), V2Json(length, binaryOutputs: true));
            File.WriteAllText(Path.Combine(dir, $"text{length}.json"), JsonSerializer.Serialize(new { texts = new[] { Workloads.TextOf(length) } }));
        }

        return 0;
    }

    /// <param name="binaryOutputs">Ask for every output as binary data (binary_data_output): no float formatting.</param>
    internal static string V2Json(int length, bool binaryOutputs)
    {
        var ids = Workloads.TokenIds(length);
        var ones = Enumerable.Repeat(1L, length).ToArray();
        var zeros = new long[length];
        object Input(string name, long[] data) => new { name, datatype = "INT64", shape = new[] { 1, length }, data };
        var inputs = new[] { Input("input_ids", ids), Input("attention_mask", ones), Input("token_type_ids", zeros) };
        return binaryOutputs
            ? JsonSerializer.Serialize(new { inputs, parameters = new { binary_data_output = true } })
            : JsonSerializer.Serialize(new { inputs });
    }
}
