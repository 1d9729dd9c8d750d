namespace InferenceService.Runtime.Pipelines;

/// <summary>A version's task pipeline (pre- and post-processing around its model), built and checked when the version loads.</summary>
public interface ITaskPipeline
{
    /// <summary>One of <see cref="PipelineKinds"/>.</summary>
    string Kind { get; }
}
