namespace InferenceService.Training.Models;

/// <summary>The model families the CLI trains; the names are also the default repository model names.</summary>
internal static class Families
{
    public const string Mnist = "mnist";
    public const string FashionMnist = "fashion-mnist";
    public const string Spam = "spam";
    public const string Recommender = "recommender";

    /// <summary>Heads on pretrained backbones trained on the user's data (<c>train image-folder</c>, <c>train text-csv</c>).</summary>
    public const string ImageFolder = "image-folder";
    public const string TextCsv = "text-csv";

    /// <summary>The families <c>train &lt;family&gt;</c> trains on built-in data.</summary>
    public static readonly string[] All = [Mnist, FashionMnist, Spam, Recommender];
}
