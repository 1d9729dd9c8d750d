namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// One token of a text as the model sees it: its id, the input text it stands for, and where that text is in the
/// input (code-point offsets, stop exclusive). Special tokens ([CLS], [SEP]) have their own name and no offsets.
/// </summary>
public sealed record TextToken(int Id, string Text, bool Special, int? Start, int? Stop);
