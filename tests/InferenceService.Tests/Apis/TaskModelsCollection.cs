namespace InferenceService.Tests.Apis;

/// <summary>Tests that share one service over the generated task models (see <see cref="TaskModelsFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class TaskModelsCollection : ICollectionFixture<TaskModelsFixture>
{
    public const string Name = "task-models";
}
