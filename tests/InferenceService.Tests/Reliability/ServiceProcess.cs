using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace InferenceService.Tests.Reliability;

/// <summary>
/// The service as its own process (the build's InferenceService.dll) on 127.0.0.1 with a dynamic port, so that its
/// memory (RSS) is its own and not the test runner's. Killed (this process only) at dispose.
/// </summary>
internal sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _log = [];

    private ServiceProcess(string repository, IEnumerable<string> extraArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[]
        {
            ServiceDll, "--urls", "http://127.0.0.1:0", "--Grpc:Url=", "--ModelRepository:Path=" + repository,
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
        }.Concat(extraArgs))
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

    public Uri BaseAddress { get; private set; } = null!;

    public int Id => _process.Id;

    /// <summary>The service binary the build copies next to the tests (with its runtimeconfig and deps files).</summary>
    private static string ServiceDll => Path.Combine(AppContext.BaseDirectory, "InferenceService.dll");

    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log.TakeLast(40));
            }
        }
    }

    /// <summary>Starts the service and waits until it listens and /v2/health/ready answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string repository, params string[] extraArgs)
    {
        var service = await StartListeningAsync(repository, extraArgs);
        try
        {
            using var client = new HttpClient { BaseAddress = service.BaseAddress };
            var until = Stopwatch.StartNew();
            while (!(await client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative))).IsSuccessStatusCode)
            {
                Assert.True(until.Elapsed < TimeSpan.FromMinutes(2), "not ready after 2 minutes:\n" + service.Log);
                await Task.Delay(200);
            }

            return service;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>Starts the service and returns as soon as it listens (models may still be loading).</summary>
    public static async Task<ServiceProcess> StartListeningAsync(string repository, params string[] extraArgs)
    {
        Assert.True(File.Exists(ServiceDll), $"{ServiceDll} is missing: build the solution first.");
        var service = new ServiceProcess(repository, extraArgs);
        try
        {
            service.BaseAddress = await service._listening.Task.WaitAsync(TimeSpan.FromMinutes(1));
            return service;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> and the kubelet do (<see cref="Process.Kill()"/> would be SIGKILL).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the process to end (and its output to be read); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Resident set size from /proc (Linux), in bytes.</summary>
    public long ResidentBytes() => StatusBytes("VmRSS:");

    /// <summary>The peak resident set size since the process started (VmHWM, the kernel's high-water mark), in bytes.</summary>
    public long PeakResidentBytes() => StatusBytes("VmHWM:");

    /// <summary>SIGKILL, as the OOM killer or a node failure would end it: no shutdown, no flush, no finally.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    private long StatusBytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException(field + " not found");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Add(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
