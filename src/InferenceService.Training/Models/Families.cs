namespace InferenceService.Training.Models;

/// <summary>The model families the CLI trains; the names are also the default repository model names.</summary>
internal static class Families
{
    public const string Mnist = "mnist";
    public const string FashionMnist = "fashion-mnist";
    public const string Spam = "spam";
    public const string Recommender = "recommender";

    public static readonly string[] All = [Mnist, FashionMnist, Spam, Recommender];
}
