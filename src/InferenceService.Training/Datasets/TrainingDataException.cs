namespace InferenceService.Training.Datasets;

/// <summary>The user's data cannot be trained on as given (one label, too few examples, a malformed CSV); the message says why.</summary>
internal sealed class TrainingDataException(string message) : Exception(message);
