using System.Net;
using System.Net.Sockets;

namespace InferenceService.Hosting;

/// <summary>
/// Finds an endpoint whose port another process already listens on, by binding a socket to the address Kestrel would
/// bind and closing it. Checked before the host starts, so a second instance stops before it loads any model.
/// .NET binds TCP sockets the way Kestrel does (on Linux with SO_REUSEADDR), so a port left in TIME_WAIT by a
/// previous run is not reported, and one with a listener is.
/// </summary>
internal static class PortProbe
{
    public static ServiceEndpoint? FirstInUse(IEnumerable<ServiceEndpoint> endpoints) =>
        endpoints.FirstOrDefault(e => e.Port != 0 && Addresses(e).Any(a => InUse(new IPEndPoint(a, e.Port))));

    // Kestrel's own choices: any address is IPv6 dual mode (IPv4 where there is no IPv6), localhost is both loopbacks.
    private static IEnumerable<IPAddress> Addresses(ServiceEndpoint endpoint) =>
        endpoint.IsAnyAddress ? [Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any]
        : endpoint.IsLocalhost ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
        : IPAddress.TryParse(endpoint.Host, out var address) ? [address]
        : [];

    private static bool InUse(IPEndPoint endpoint)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endpoint);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            // No such address here, or not allowed: Kestrel reports that itself, with its own words.
            return false;
        }
    }
}
