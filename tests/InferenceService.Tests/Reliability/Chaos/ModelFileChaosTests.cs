using System.Collections.Concurrent;
using System.Net;
using InferenceService.Runtime.Repository;
using Onnx;
using Google.Protobuf;

namespace InferenceService.Tests.Reliability.Chaos;

/// <summary>
/// The file of the serving version changes under a service in poll mode, while requests keep coming: truncated (a
/// copy cut short) or replaced by a model that does not match the config. The serving version keeps answering every
/// request correctly, the changed one is refused with its reason, and a good file served again afterwards goes live.
/// </summary>
public sealed class ModelFileChaosTests
{
    public static TheoryData<string> Faults => ["truncated", "replaced"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task ServingModelFile_BrokenUnderPoll_OldKeepsServingBrokenRefusedWithReason(string fault)
    {
        using var service = new CustomService(new()
        {
            ["ModelRepository:ControlMode"] = "poll",
            ["ModelRepository:PollIntervalSeconds"] = "0.1",
        });
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        var client = await service.StartAsync();
        var answers = new ConcurrentBag<(HttpStatusCode Status, float Y)>();
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (body, status) = await V2Json.PostAsync(client, "/v2/models/adder/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [1, 4], new float[] { 0, 0, 0, 0 })));
                answers.Add((status, status == HttpStatusCode.OK ? V2Json.Floats(body)[0] : float.NaN));
            }
        })));
        var modelFile = Path.Combine(service.RepositoryPath, "adder", "1", "model.onnx");

        var good = await File.ReadAllBytesAsync(modelFile);
        await File.WriteAllBytesAsync(modelFile, fault == "truncated" ? good[..(good.Length / 2)] : Mismatched());
        var failed = await WaitForAsync(() => service.Models.Models["adder"].Failed.FirstOrDefault(v => v.Version == 1));
        var duringFault = answers.Count;
        await WaitForAsync(() => answers.Count >= duringFault + 20 ? failed : null);
        var readyWhileBroken = service.Models.IsReady;
        AdderModel.Publish(service.RepositoryPath, "adder", 2, AdderModel.Build(2));
        await WaitForAsync(() => service.Models.Models["adder"].Versions.FirstOrDefault(v => v.Version == 2 && v.State == ModelState.Ready));
        var afterRecovery = answers.Count;
        await WaitForAsync(() => answers.Count >= afterRecovery + 20 ? failed : null);
        await stop.CancelAsync();
        await load;

        Assert.Equal(ModelState.Unavailable, failed.State);
        Assert.False(string.IsNullOrWhiteSpace(failed.Reason));
        Assert.True(readyWhileBroken);
        var all = answers.ToList();
        Assert.All(all, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(all, a => Assert.True(a.Y is 1f or 2f, $"answer {a.Y}: neither version's"));
        Assert.Contains(all, a => a.Y == 2f);
    }

    /// <summary>A valid ONNX model whose input is not the config's <c>x</c>: loads in ONNX Runtime, refused by the config check.</summary>
    private static byte[] Mismatched()
    {
        var model = ModelProto.Parser.ParseFrom(AdderModel.Build(1));
        model.Graph.Input[0].Name = "z";
        model.Graph.Node[0].Input[0] = "z";
        return model.ToByteArray();
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        var timeout = Task.Delay(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            Assert.False(timeout.IsCompleted, "timed out");
            await Task.Delay(20);
        }
    }
}
