namespace InferenceService.Runtime.Pipelines;

/// <summary>Token ids of one text with [CLS] and [SEP]; <see cref="Truncated"/> when the text had more than the limit.</summary>
public sealed record EncodedText(IReadOnlyList<int> Ids, int FullLength, bool Truncated);
