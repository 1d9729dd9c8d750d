using System.Globalization;
using InferenceService.Grpc;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using TritonStatisticsResponse = InferenceService.Grpc.ModelStatisticsResponse;

namespace InferenceService.Apis;

/// <summary>The statistics REST reports (<see cref="StatisticsApi.Collect"/>) as Triton's ModelStatistics messages.</summary>
internal static class GrpcStatistics
{
    public static TritonStatisticsResponse From(IEnumerable<(ModelVersion Version, ModelStatisticsSnapshot Stats)> versions)
    {
        var response = new TritonStatisticsResponse();
        foreach (var (version, s) in versions)
        {
            var entry = new ModelStatistics
            {
                Name = version.Name,
                Version = version.Version.ToString(CultureInfo.InvariantCulture),
                LastInference = Unsigned(s.LastInference),
                InferenceCount = Unsigned(s.InferenceCount),
                ExecutionCount = Unsigned(s.ExecutionCount),
                InferenceStats = new InferStatistics
                {
                    Success = Duration(s.Success),
                    Fail = Duration(s.Fail),
                    Queue = Duration(s.Queue),
                    ComputeInput = Duration(s.ComputeInput),
                    ComputeInfer = Duration(s.ComputeInfer),
                    ComputeOutput = Duration(s.ComputeOutput),
                    CacheHit = Duration(s.CacheHit),
                    CacheMiss = Duration(s.CacheMiss),
                },
            };
            entry.BatchStats.AddRange(s.BatchStats.Select(b => new InferBatchStatistics
            {
                BatchSize = Unsigned(b.BatchSize),
                ComputeInput = Duration(b.ComputeInput),
                ComputeInfer = Duration(b.ComputeInfer),
                ComputeOutput = Duration(b.ComputeOutput),
            }));
            response.ModelStats.Add(entry);
        }

        return response;
    }

    private static StatisticDuration Duration(StatisticsDuration d) => new() { Count = Unsigned(d.Count), Ns = Unsigned(d.Ns) };

    // The counters only grow from 0; the clamp only keeps a cast from wrapping.
    private static ulong Unsigned(long value) => (ulong)Math.Max(0, value);
}
