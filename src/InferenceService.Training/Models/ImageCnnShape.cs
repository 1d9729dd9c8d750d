namespace InferenceService.Training.Models;

/// <summary>The architecture knobs of <see cref="ImageCnn"/>, recorded in the run so verify can rebuild it.</summary>
internal sealed record ImageCnnShape(int Channels1 = 32, int Channels2 = 64, int Hidden = 128, int Classes = 10);
