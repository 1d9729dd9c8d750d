using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace InferenceService.Tests.Docs;

/// <summary>
/// Runs a block as the docs-test contract says: <c>bash -e -o pipefail -c &lt;block&gt;</c> in the repository root with
/// the given environment and a timeout, then checks its exit code and that its stdout holds every <c>expect</c>. The
/// documented ports (8000 REST, 8001 gRPC on 127.0.0.1 or localhost) are rewritten to the ones the test service listens
/// on, so the examples keep the ports a reader uses and the test never depends on 8000 being free.
/// </summary>
internal sealed partial class ShellBlockRunner(string workingDirectory, IReadOnlyDictionary<string, string> environment, int httpPort, int grpcPort, TimeSpan timeout)
{
    public async Task<BlockRun> RunAsync(DocBlock block)
    {
        // Its own session (setsid execs bash under the same pid), so that whatever the block leaves running in the
        // background is ended with it, by its process group, and never outlives the test holding a port.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in (string[])["bash", "-e", "-o", "pipefail", "-c", RewritePorts(block.Code)])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var elapsed = Stopwatch.StartNew();
        using var process = Process.Start(start)!;

        // A block that reads stdin gets end-of-file at once rather than waiting for the timeout.
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var timedOut = false;
        using (var cancel = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        KillGroup(process.Id);
        var output = await ReadAsync(stdout, stderr);
        elapsed.Stop();

        var failures = new List<string>();
        if (timedOut)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:0.#} s"));
        }
        else if (process.ExitCode != 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"exit code {process.ExitCode}"));
        }

        failures.AddRange(block.Expects.Where(e => !output[0].Contains(e, StringComparison.Ordinal)).Select(e => $"stdout lacks the expected '{e}'"));
        if (block.Expects.Count == 0 && output[0].Trim().Length > 0)
        {
            failures.Add("it prints output but has no <!-- docs-test: expect: ... --> to check it (an expect is needed unless the output is empty by design)");
        }

        return new BlockRun(block, timedOut ? null : process.ExitCode, output[0], output[1], elapsed.Elapsed, failures);
    }

    /// <summary>Ends what is left of the block's process group (background jobs); nothing when it ended whole.</summary>
    private static void KillGroup(int leader)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", "-" + leader.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardError = true })!;
        kill.WaitForExit();
    }

    /// <summary>Both streams; a background child that outlived the block may still hold the pipes, so not waited for long.</summary>
    private static async Task<string[]> ReadAsync(Task<string> stdout, Task<string> stderr)
    {
        try
        {
            return await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            return [stdout.IsCompletedSuccessfully ? stdout.Result : "", "(a process the block started in the background still holds its output)"];
        }
    }

    /// <summary>127.0.0.1:8000 and localhost:8000 (and 8001) as the test service's ports; every other text as written.</summary>
    public string RewritePorts(string code) =>
        DocumentedPort().Replace(code, m => m.Groups["host"].Value + ":" + (m.Groups["port"].Value == "8000" ? httpPort : grpcPort).ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?<host>\b127\.0\.0\.1|\blocalhost):(?<port>8000|8001)\b")]
    private static partial Regex DocumentedPort();
}
