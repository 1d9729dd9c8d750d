namespace InferenceService.Training.Models;

/// <summary>Everything a run depends on; recorded in run.json and in the model card's reproduce command.</summary>
internal sealed record TrainSettings
{
    public required string Family { get; init; }

    public int Epochs { get; init; }

    public int BatchSize { get; init; }

    public double LearningRate { get; init; }

    public int Seed { get; init; } = 42;

    public int Threads { get; init; } = 1;

    /// <summary>Train on at most this many examples (0 = all); for smoke runs and tests.</summary>
    public int Limit { get; init; }

    public string CacheDir { get; init; } = RepositoryPaths.Cache;

    public string MiniLmDir { get; init; } = Path.Combine(RepositoryPaths.Models, "minilm", "1");

    /// <summary>MovieLens-format ratings file for the recommender; null uses the synthetic generator.</summary>
    public string? RatingsFile { get; init; }

    /// <summary>The image folder or CSV file <c>train image-folder</c>/<c>text-csv</c> learn from.</summary>
    public string? Source { get; init; }

    /// <summary>Hidden units of an embedding head; 0 = one linear layer.</summary>
    public int Hidden { get; init; }

    /// <summary>Early stopping: epochs without a lower validation loss before training ends (best epoch's weights kept).</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Adds a flipped and a cropped copy of each training image (embedded once, cached).</summary>
    public bool Augment { get; init; }

    /// <summary>The image backbone's version folder (its config.json is the parent folder's).</summary>
    public string BackboneDir { get; init; } = Path.Combine(RepositoryPaths.Models, "resnet18", "1");

    /// <summary>The defaults each family was tuned with.</summary>
    public static TrainSettings Defaults(string family) => family switch
    {
        Families.Mnist => new() { Family = family, Epochs = 4, BatchSize = 128, LearningRate = 0.003 },
        Families.FashionMnist => new() { Family = family, Epochs = 8, BatchSize = 128, LearningRate = 0.003 },
        Families.Spam => new() { Family = family, Epochs = 60, BatchSize = 64, LearningRate = 0.003 },
        Families.Recommender => new() { Family = family, Epochs = 4, BatchSize = 512, LearningRate = 0.01 },
        Families.ImageFolder => new() { Family = family, Epochs = 200, BatchSize = 32, LearningRate = 0.003, Hidden = 0 },
        Families.TextCsv => new() { Family = family, Epochs = 200, BatchSize = 64, LearningRate = 0.003, Hidden = 64 },
        _ => throw new ArgumentException($"Unknown model family '{family}'; expected one of {string.Join(", ", Families.All)}.", nameof(family)),
    };
}
