using System.Net;
using System.Net.Sockets;

namespace InferenceService.Tests.Hosting;

/// <summary>A second instance on a busy port: the real process, its exit code and everything it prints.</summary>
public sealed class ServiceRunnerTests : IDisposable
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromMinutes(1);

    private readonly TcpListener _taken = new(IPAddress.Loopback, 0);
    private readonly DirectoryInfo _emptyRepository = Directory.CreateTempSubdirectory("service-runner-");

    public ServiceRunnerTests() => _taken.Start();

    private int TakenPort => ((IPEndPoint)_taken.LocalEndpoint).Port;

    public void Dispose()
    {
        _taken.Dispose();
        _emptyRepository.Delete(recursive: true);
    }

    [Fact]
    public async Task RunService_RestPortInUse_ExitsNonZeroWithOneLineNamingThePortAndNoStackTrace()
    {
        using var service = ServiceConsole.Start("--urls", $"http://127.0.0.1:{TakenPort}", "--Grpc:Url=", "--ModelRepository:Path=" + _emptyRepository.FullName);

        var exitCode = await service.WaitForExitAsync(ExitBound);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(service.Lines, l => l.Contains($"{TakenPort}", StringComparison.Ordinal));
        Assert.Contains("--urls", line, StringComparison.Ordinal);
        Assert.DoesNotContain(service.Lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunService_GrpcPortInUse_NamesTheGrpcSetting()
    {
        using var service = ServiceConsole.Start("--urls", "http://127.0.0.1:0", $"--Grpc:Url=http://127.0.0.1:{TakenPort}", "--ModelRepository:Path=" + _emptyRepository.FullName);

        var exitCode = await service.WaitForExitAsync(ExitBound);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(service.Lines, l => l.Contains($"{TakenPort}", StringComparison.Ordinal));
        Assert.Contains("Grpc:Url", line, StringComparison.Ordinal);
    }
}
