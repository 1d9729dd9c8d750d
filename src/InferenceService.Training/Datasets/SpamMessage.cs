namespace InferenceService.Training.Datasets;

/// <summary>One SpamAssassin message: the text the classifier sees (subject + body) and whether it is spam.</summary>
internal sealed record SpamMessage(string Id, string Group, string Text, bool IsSpam);
