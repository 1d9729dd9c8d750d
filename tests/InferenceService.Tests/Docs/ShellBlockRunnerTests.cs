namespace InferenceService.Tests.Docs;

/// <summary>
/// The runner on in-memory pages, without the service: a broken example fails with its location, the block and its
/// output; the contract's shell options, working directory and port rewriting hold.
/// </summary>
public sealed class ShellBlockRunnerTests
{
    private static readonly ShellBlockRunner Runner = new(
        RepoPaths.Root, new Dictionary<string, string> { ["ADMIN_KEY"] = "k-123" }, httpPort: 18000, grpcPort: 18001, TimeSpan.FromSeconds(20));

    private const string BrokenPage = """
        # Broken examples

        ```sh
        echo before
        exit 1
        ```

        <!-- docs-test: expect: "model_version" -->
        ```sh
        echo '{"name": "minilm"}'
        ```

        <!-- docs-test: expect: hello -->
        ```sh
        echo hello
        ```
        """;

    [Fact]
    public async Task RunAsync_BlockExitingOneAndBlockMissingItsExpect_BothFailWithLocationBlockAndOutput()
    {
        var blocks = MarkdownBlocks.Parse("broken.md", BrokenPage).Blocks;

        var runs = new List<BlockRun>();
        foreach (var block in blocks)
        {
            runs.Add(await Runner.RunAsync(block));
        }

        Assert.Equal([false, false, true], runs.Select(r => r.Passed));
        var exit = runs[0].Describe();
        Assert.StartsWith("broken.md:3: exit code 1", exit, StringComparison.Ordinal);
        Assert.Contains("echo before\nexit 1", exit, StringComparison.Ordinal);
        Assert.Contains("--- stdout ---\nbefore", exit, StringComparison.Ordinal);
        var expect = runs[1].Describe();
        Assert.StartsWith("broken.md:9: stdout lacks the expected '\"model_version\"'", expect, StringComparison.Ordinal);
        Assert.Contains("{\"name\": \"minilm\"}", expect, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false | cat")]
    [InlineData("false\necho after")]
    public async Task RunAsync_FailureInAPipeOrBeforeTheLastLine_FailsTheBlock(string code)
    {
        var run = await Runner.RunAsync(Block(code));

        Assert.Equal(["exit code 1"], run.Failures);
    }

    [Fact]
    public async Task RunAsync_OutputWithoutAnyExpect_Fails()
    {
        var run = await Runner.RunAsync(Block("echo something"));

        Assert.Contains("no <!-- docs-test: expect", Assert.Single(run.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EmptyOutputWithoutExpect_PassesOnItsExitCode()
    {
        var run = await Runner.RunAsync(Block("test -f InferenceService.sln"));

        Assert.True(run.Passed, run.Describe());
    }

    [Fact]
    public async Task RunAsync_AdminKeyAndDocumentedPorts_ReachTheBlockAsTheTestServiceHasThem()
    {
        var run = await Runner.RunAsync(Block("echo \"$ADMIN_KEY http://127.0.0.1:8000/v2 localhost:8001 127.0.0.1:80001\"", "k-123 http://127.0.0.1:18000/v2 localhost:18001 127.0.0.1:80001"));

        Assert.True(run.Passed, run.Describe());
    }

    [Fact]
    public async Task RunAsync_BlockOutlivingItsTimeout_IsKilledAndFails()
    {
        var quick = new ShellBlockRunner(RepoPaths.Root, new Dictionary<string, string>(), 18000, 18001, TimeSpan.FromSeconds(1));

        var run = await quick.RunAsync(Block("sleep 30"));

        Assert.Equal(["timed out after 1 s"], run.Failures);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(15), run.Elapsed.ToString());
    }

    [Fact]
    public async Task RunAsync_BlockLeavingABackgroundJob_EndsItWithTheBlock()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), "docs-test-" + Guid.NewGuid().ToString("N"));

        var run = await Runner.RunAsync(Block($"sleep 300 &\necho $! > {pidFile}"));
        var pid = File.ReadAllText(pidFile).Trim();
        File.Delete(pidFile);

        // Gone, or a zombie waiting for init to reap it: either way no longer running.
        Assert.True(run.Passed, run.Describe());
        var stat = $"/proc/{pid}/stat";
        Assert.True(!File.Exists(stat) || File.ReadAllText(stat).Split(' ')[2] == "Z", $"the background job {pid} outlived its block");
    }

    private static DocBlock Block(string code, params string[] expects) => new("inline.md", 1, code, null, expects);
}
