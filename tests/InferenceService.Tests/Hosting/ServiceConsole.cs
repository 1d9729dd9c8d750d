using System.Diagnostics;

namespace InferenceService.Tests.Hosting;

/// <summary>
/// The built service (InferenceService.dll next to the tests) as its own process, its output redirected as it is
/// to a log file, every line kept: what an operator reads at start-up. Killed (this process only) at dispose.
/// </summary>
internal sealed class ServiceConsole : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _lineAdded = new(0);

    private ServiceConsole(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "InferenceService.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Output => string.Join('\n', Lines);

    public static ServiceConsole Start(params string[] args)
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "InferenceService.dll")), "InferenceService.dll is missing: build the tests first.");
        return new ServiceConsole(args);
    }

    /// <summary>Waits until a line matches; fails with the output so far when none does in time or the process ends.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (Lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_process.HasExited)
            {
                // Its last lines may still be on their way.
                await _process.WaitForExitAsync();
                var last = Lines.FirstOrDefault(match);
                Assert.True(last is not null, $"the service exited ({_process.ExitCode}) without that line:\n{Output}");
                return last;
            }

            Assert.True(waited.Elapsed < timeout, $"no such line after {timeout}:\n{Output}");
            await _lineAdded.WaitAsync(TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>Waits for the process to exit on its own and for its output to be read to the end.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the service was still running after {timeout}:\n{Output}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _lineAdded.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        _lineAdded.Release();
    }
}
