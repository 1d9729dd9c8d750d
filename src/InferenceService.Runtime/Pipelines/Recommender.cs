using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// A factorisation recommender from the training module. The model scores every item for one user (user_scores) or
/// against one item (item_scores, cosine); the unused input is fed 0 and only the wanted output is requested.
/// </summary>
public sealed class Recommender : ITaskPipeline
{
    private const string UserInput = "user_ids";
    private const string ItemInput = "item_ids";
    private const string UserScores = "user_scores";
    private const string ItemScores = "item_scores";

    private Recommender(RecommenderConfig config, IReadOnlyList<string>? itemNames)
    {
        Config = config;
        ItemNames = itemNames;
    }

    public string Kind => PipelineKinds.Recommender;

    public RecommenderConfig Config { get; }

    /// <summary>Item n's name, when the model ships items.txt.</summary>
    public IReadOnlyList<string>? ItemNames { get; }

    public string? NameOf(int item) => ItemNames is { } names && item < names.Count ? names[item] : null;

    /// <summary>
    /// The top <paramref name="k"/> items for a user, leaving out <paramref name="exclude"/> (items the user has seen).
    /// A user id at or beyond num_users is unknown: 404, unless <paramref name="popularForUnknown"/> asks for the
    /// cold-start answer (the popular items, which is what a user new to the model gets).
    /// </summary>
    public async Task<Recommendation> ForUserAsync(InferenceGateway gateway, InferenceTicket ticket, long userId, int k, IReadOnlySet<int> exclude, bool popularForUnknown, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(exclude);
        var model = ticket.Model;
        if (userId < 0 || userId >= Config.NumUsers)
        {
            if (!popularForUnknown)
            {
                throw PipelineException.NotFound($"Unknown user {userId}: model '{model.Name}' knows users 0 to {Config.NumUsers - 1}. Add ?fallback=popular to get the popular items for a new user.");
            }

            var popular = Config.PopularItems.Where(i => !exclude.Contains(i)).Take(k).Select(item => new ScoredItem(item, 0)).ToList();
            return new Recommendation(popular, ColdStart: true);
        }

        var scores = await ScoresAsync(gateway, ticket, UserScores, userId, 0, cancellationToken).ConfigureAwait(false);
        using var rank = InferenceTelemetry.StartStage(InferenceTelemetry.PostprocessSpan, model.Name);
        return new Recommendation(VectorMath.TopK(scores, k, exclude.Count == 0 ? null : i => !exclude.Contains(i)), ColdStart: false);
    }

    /// <summary>The <paramref name="k"/> items most similar (cosine) to <paramref name="itemId"/>, the item itself left out.</summary>
    public async Task<IReadOnlyList<ScoredItem>> SimilarItemsAsync(InferenceGateway gateway, InferenceTicket ticket, long itemId, int k, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var model = ticket.Model;
        if (itemId < 0 || itemId >= Config.NumItems)
        {
            throw PipelineException.NotFound($"Unknown item {itemId}: model '{model.Name}' knows items 0 to {Config.NumItems - 1}.");
        }

        var scores = await ScoresAsync(gateway, ticket, ItemScores, 0, itemId, cancellationToken).ConfigureAwait(false);
        using var rank = InferenceTelemetry.StartStage(InferenceTelemetry.PostprocessSpan, model.Name);
        return VectorMath.TopK(scores, k, i => i != itemId);
    }

    private async Task<float[]> ScoresAsync(InferenceGateway gateway, InferenceTicket ticket, string output, long userId, long itemId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var model = ticket.Model;
        var shape = PipelineTensors.Shape(model.Config, 1, 1);
        Tensor[] inputs =
        [
            Tensor.Create(UserInput, TensorDataType.Int64, shape, new[] { userId }),
            Tensor.Create(ItemInput, TensorDataType.Int64, shape, new[] { itemId }),
        ];
        var outputs = await gateway.SubmitAsync(ticket, new(inputs, [output]), cancellationToken).ConfigureAwait(false);
        return PipelineTensors.Rows(outputs[0], 1, Config.NumItems, model.Name);
    }

    internal static Recommender Build(ModelVersion model)
    {
        var config = TaskPipelines.ReadConfig<RecommenderConfig>(model);
        if (config.NumUsers < 1 || config.NumItems < 1)
        {
            throw TaskPipelines.Misconfigured(model, $"pipeline.num_users and pipeline.num_items must be >= 1, got {config.NumUsers} and {config.NumItems}");
        }

        if (config.PopularItems.Any(i => i < 0 || i >= config.NumItems))
        {
            throw TaskPipelines.Misconfigured(model, $"pipeline.popular_items must be item ids 0 to {config.NumItems - 1}");
        }

        foreach (var name in new[] { UserScores, ItemScores })
        {
            var output = model.Config.Outputs.FirstOrDefault(o => o.Name == name);
            if (output is null || output.Dims.Count == 0 || output.Dims[^1] != config.NumItems)
            {
                var found = output is null ? "the model has no such output" : $"its dims are {TaskPipelines.Dims(output.Dims)}";
                throw TaskPipelines.Misconfigured(model, $"output '{name}' must score pipeline.num_items = {config.NumItems} items, but {found}");
            }
        }

        var names = config.ItemNames is null ? null : TaskPipelines.ReadLines(model, config.ItemNames, "item_names");
        return new Recommender(config, names);
    }
}
