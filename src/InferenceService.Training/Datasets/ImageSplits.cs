namespace InferenceService.Training.Datasets;

/// <summary>A train and a test split plus the class names in label order.</summary>
internal sealed record ImageSplits(ImageSet Train, ImageSet Test, IReadOnlyList<string> ClassNames, string Source);
