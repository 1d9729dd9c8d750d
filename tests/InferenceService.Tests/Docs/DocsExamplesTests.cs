using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using InferenceService.Tests.Reliability;
using Xunit.Abstractions;

namespace InferenceService.Tests.Docs;

/// <summary>
/// Every sh/bash block of README.md and docs/ against the real service (its own process, the shipped models, the admin
/// key set), as the docs-test contract says; the skips are listed with their reasons in the test output. The service
/// listens on free ports and the blocks' 127.0.0.1:8000 / :8001 are rewritten to them: a developer's own service (or
/// anything else) on 8000 must neither fail the test nor answer its examples.
/// </summary>
[Trait("Category", "Docs")]
public sealed class DocsExamplesTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BlockTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ShellBlocks_OfReadmeAndDocs_RunAndPrintWhatTheySay()
    {
        var pages = DocPages.Parse(RepoPaths.Root);
        var blocks = pages.SelectMany(p => p.Blocks).ToList();
        var (httpPort, grpcPort) = FreePorts();
        var adminKey = "docs-" + Guid.NewGuid().ToString("N");
        var started = Stopwatch.StartNew();
        using var service = await ServiceProcess.StartAsync(
            RepoPaths.Models,
            $"--urls=http://127.0.0.1:{httpPort}", $"--Grpc:Url=http://127.0.0.1:{grpcPort}", "--Logging:LogLevel:Default=Information", "--Admin:ApiKey=" + adminKey,
            "--contentRoot=" + Path.Combine(RepoPaths.Root, "src", "InferenceService")); // wwwroot (the demo page) lives there, not next to the tests' copy of the dll
        output.WriteLine(Invariant($"service ready in {started.Elapsed.TotalSeconds:0.0} s on 127.0.0.1:{httpPort} (REST, the docs' 8000) and :{grpcPort} (gRPC, the docs' 8001)"));
        var runner = new ShellBlockRunner(RepoPaths.Root, new Dictionary<string, string> { ["ADMIN_KEY"] = adminKey }, httpPort, grpcPort, BlockTimeout);

        var failures = new List<string>();
        foreach (var block in blocks)
        {
            if (block.SkipReason is { } reason)
            {
                output.WriteLine($"skip {block.Location}: {reason}");
                continue;
            }

            var run = await runner.RunAsync(block);
            output.WriteLine(Invariant($"{(run.Passed ? "pass" : "FAIL")} {block.Location} ({run.Elapsed.TotalSeconds:0.0} s)"));
            if (!run.Passed)
            {
                failures.Add(run.Describe());
            }
        }

        var problems = pages.SelectMany(p => p.Problems).ToList();
        var ran = blocks.Count(b => b.SkipReason is null);
        output.WriteLine($"{ran} block(s) run, {blocks.Count - ran} skipped, {failures.Count} failed, {problems.Count} annotation problem(s) in {pages.Count} page(s)");
        Assert.True(ran > 0, "no sh/bash block ran: " + string.Join(", ", pages.Select(p => p.Blocks.Count)));
        Assert.True(
            failures.Count == 0 && problems.Count == 0,
            string.Join("\n\n", problems.Concat(failures)) + "\n\nservice log (last lines):\n" + service.Log);
    }

    /// <summary>Two distinct free ports, held at once so they differ; released just before the service takes them.</summary>
    private static (int Http, int Grpc) FreePorts()
    {
        var http = new TcpListener(IPAddress.Loopback, 0);
        var grpc = new TcpListener(IPAddress.Loopback, 0);
        http.Start();
        grpc.Start();
        var ports = (((IPEndPoint)http.LocalEndpoint).Port, ((IPEndPoint)grpc.LocalEndpoint).Port);
        http.Stop();
        grpc.Stop();
        return ports;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
