using InferenceService.Training.Datasets;
using InferenceService.Training.Models;

namespace InferenceService.Training.Commands;

/// <summary>Loads a family's data (fetching on demand) and trains it.</summary>
internal static class FamilyTrainer
{
    public static TrainedModel Train(TrainSettings settings, ITrainingObserver observer)
    {
        var fetcher = new DataFetcher(settings.CacheDir, new ObserverWriter(observer));
        return settings.Family switch
        {
            Families.Mnist => ImageClassifierTrainer.Train(settings, MnistIdx.Load(fetcher), observer),
            Families.FashionMnist => ImageClassifierTrainer.Train(settings, FashionMnistJson.Load(fetcher), observer),
            Families.Spam => SpamTrainer.Train(settings, SpamAssassinCorpus.Load(fetcher), observer),
            Families.Recommender => RecommenderTrainer.Train(settings,
                settings.RatingsFile is null ? SyntheticInteractions.Generate() : MovieLensRatings.Load(settings.RatingsFile), observer),
            _ => throw new ArgumentException($"Unknown model family '{settings.Family}'; expected one of {string.Join(", ", Families.All)}."),
        };
    }
}
