using Google.Protobuf;
using InferenceService.Training.Commands;
using InferenceService.Training.Models;

namespace InferenceService.Training.Tests.Models;

/// <summary>--seed with one thread must reproduce a run: the model card promises it.</summary>
[Trait("Category", "Training")]
public sealed class ReproducibilityTests
{
    [Fact]
    public void Train_SameSeedOneThread_GivesIdenticalExport()
    {
        var settings = TrainSettings.Defaults(Families.Recommender) with { Epochs = 2, Threads = 1, CacheDir = TestPaths.Cache };

        var first = FamilyTrainer.Train(settings, new QuietObserver(TextWriter.Null));
        var second = FamilyTrainer.Train(settings, new QuietObserver(TextWriter.Null));

        Assert.Equal(first.Metrics["hr_at_10"]!.GetValue<double>(), second.Metrics["hr_at_10"]!.GetValue<double>());
        Assert.Equal(first.Onnx.ToByteArray(), second.Onnx.ToByteArray());
    }

    [Fact]
    public void Train_DifferentSeed_GivesDifferentExport()
    {
        var settings = TrainSettings.Defaults(Families.Recommender) with { Epochs = 1, Threads = 1, CacheDir = TestPaths.Cache };

        var first = FamilyTrainer.Train(settings, new QuietObserver(TextWriter.Null));
        var second = FamilyTrainer.Train(settings with { Seed = settings.Seed + 1 }, new QuietObserver(TextWriter.Null));

        Assert.NotEqual(first.Onnx.ToByteArray(), second.Onnx.ToByteArray());
    }
}
