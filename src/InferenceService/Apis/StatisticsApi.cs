using System.Globalization;
using System.Text.Json.Serialization;
using InferenceService.Runtime.Batching.LatencyTarget;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferenceService.Apis;

/// <summary>Triton's statistics extension: per model version counts and cumulative durations.</summary>
public static class StatisticsApi
{
    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2/models").WithTags("Open Inference Protocol (V2)");
        v2.MapGet("/stats", (ModelRegistry r) => Stats(null, null, r)).WithName("V2AllModelStatistics")
            .WithSummary("Statistics of every served model version.");
        v2.MapGet("/{name}/stats", (string name, ModelRegistry r) => Stats(name, null, r)).WithName("V2ModelStatistics")
            .WithSummary("Statistics of a model's served versions: counts, queue and compute durations (ns), batch sizes.");
        v2.MapGet("/{name}/versions/{version}/stats", Stats).WithName("V2ModelVersionStatistics")
            .WithSummary("Statistics of one model version.");
        return app;
    }

    /// <summary>
    /// The versions asked for (no name: every model's; no version: every served version of the model) with their
    /// statistics, as REST and gRPC report them: 404 for an unknown model or version, 400 for a malformed version.
    /// </summary>
    internal static IReadOnlyList<(ModelVersion Version, ModelStatisticsSnapshot Stats)> Collect(ModelRegistry registry, string? name, string? version)
    {
        IEnumerable<ModelVersion> versions;
        if (string.IsNullOrEmpty(name))
        {
            versions = registry.Models.Values.OrderBy(m => m.Name, StringComparer.Ordinal).SelectMany(m => m.Versions);
        }
        else
        {
            // Without a version: every served version of the model (the lookup answers 404 for an unknown one).
            var found = registry.Lookup(name, version);
            versions = string.IsNullOrEmpty(version) ? registry.Models[name].Versions : [found];
        }

        return versions
            .Select(v => (Version: v, Stats: (v.Runner as IModelStatistics)?.GetStatistics()))
            .Where(x => x.Stats is not null)
            .Select(x => (x.Version, x.Stats!))
            .ToList();
    }

    private static Results<Ok<ModelStatisticsResponse>, JsonHttpResult<V2Error>> Stats(string? name, string? version, ModelRegistry registry)
    {
        try
        {
            return TypedResults.Ok(new ModelStatisticsResponse(Collect(registry, name, version).Select(x => ModelStatisticsEntry.From(x.Version, x.Stats)).ToList()));
        }
        catch (InferenceException e)
        {
            return V2Errors.Error(V2Errors.StatusOf(e.Kind), e.Message);
        }
    }
}

/// <summary>Triton's <c>{"model_stats": [...]}</c>.</summary>
public sealed record ModelStatisticsResponse(IReadOnlyList<ModelStatisticsEntry> ModelStats);

public sealed record ModelStatisticsEntry(
    string Name,
    string Version,
    long LastInference,
    long InferenceCount,
    long ExecutionCount,
    InferenceStatistics InferenceStats,
    IReadOnlyList<BatchStatisticsEntry> BatchStats,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LatencyTargetStatistics? LatencyTarget = null)
{
    public static ModelStatisticsEntry From(ModelVersion version, ModelStatisticsSnapshot s) => new(
        version.Name,
        version.Version.ToString(CultureInfo.InvariantCulture),
        s.LastInference,
        s.InferenceCount,
        s.ExecutionCount,
        new InferenceStatistics(D(s.Success), D(s.Fail), D(s.Queue), D(s.ComputeInput), D(s.ComputeInfer), D(s.ComputeOutput), D(s.CacheHit), D(s.CacheMiss)),
        s.BatchStats.Select(b => new BatchStatisticsEntry(b.BatchSize, D(b.ComputeInput), D(b.ComputeInfer), D(b.ComputeOutput))).ToList(),
        s.LatencyTarget);

    private static DurationEntry D(StatisticsDuration d) => new(d.Count, d.Ns);
}

public sealed record InferenceStatistics(DurationEntry Success, DurationEntry Fail, DurationEntry Queue, DurationEntry ComputeInput, DurationEntry ComputeInfer, DurationEntry ComputeOutput, DurationEntry CacheHit, DurationEntry CacheMiss);

public sealed record BatchStatisticsEntry(long BatchSize, DurationEntry ComputeInput, DurationEntry ComputeInfer, DurationEntry ComputeOutput);

/// <summary>A count and cumulative nanoseconds.</summary>
public sealed record DurationEntry(long Count, long Ns);
