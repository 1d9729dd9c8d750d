using System.Globalization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace InferenceService.Hosting;

/// <summary>
/// Runs the web application and turns "address already in use" into one line that names the port and the setting
/// to change, and a non-zero exit code, instead of a stack trace. Other start-up failures keep theirs.
/// </summary>
internal static class ServiceRunner
{
    public const int PortInUseExitCode = 1;

    public static int RunService(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var endpoints = KestrelEndpoints.Read(app.Configuration);
        var busy = PortProbe.FirstInUse(endpoints);
        if (busy is null)
        {
            try
            {
                app.Run();
                return 0;
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                // Taken between the probe and Kestrel's bind. Kestrel's message names the address it tried.
                busy = endpoints.FirstOrDefault(p => e.Message.Contains(":" + p.Port.ToString(CultureInfo.InvariantCulture) + ":", StringComparison.Ordinal));
                if (busy is null)
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    return PortInUseExitCode;
                }
            }
        }

        // Written directly: the host (and with it the logging) has not started, or has already been disposed.
        var alternative = busy.Protocols == HttpProtocols.Http2 ? ", or to empty to serve no gRPC" : string.Empty;
        Console.Error.WriteLine($"error: port {busy.Port} ({busy.Api}, {busy.Url}) is already in use by another process: set {busy.Setting} to a free port{alternative}");
        return PortInUseExitCode;
    }
}
