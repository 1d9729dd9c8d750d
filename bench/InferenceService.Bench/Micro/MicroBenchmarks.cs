using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace InferenceService.Bench;

/// <summary>
/// BenchmarkDotNet, in-process: the generated child project would inherit the repository's central package
/// management and warnings-as-errors, so the benchmarks run in this process instead.
/// </summary>
internal static class MicroBenchmarks
{
    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
        var config = DefaultConfig.Instance.AddJob(job).WithArtifactsPath(Path.Combine(RepoRoot.Path, "bench", "results", "micro"));
        BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(args.Where(a => a != "--quick").ToArray(), config);
        return 0;
    }
}
