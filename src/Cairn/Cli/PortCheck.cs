using System.Net;
using System.Net.Sockets;

namespace Cairn.Cli;

/// <summary>
/// Tells, before anything is built or written, that the port <c>cairn serve</c> was asked for is taken: one line
/// instead of Kestrel's stack trace, and no new data directory left behind.
/// </summary>
internal static class PortCheck
{
    public static void EnsureFree(string host, int port)
    {
        if (port == 0)
        {
            return;
        }
        IPAddress[] addresses = IPAddress.TryParse(host, out var address) ? [address]
            : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : [];
        foreach (var candidate in addresses)
        {
            try
            {
                var listener = new TcpListener(candidate, port);
                listener.Start();
                listener.Stop();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new InvalidOperationException(
                    $"port {port} on {host} is already in use (another cairn serve, or another program); stop it, or choose another port with --port N");
            }
            catch (SocketException)
            {
                // Not a conflict (e.g. no IPv6 here): Kestrel decides, and says so if it cannot bind.
            }
        }
    }

    /// <summary>Kestrel's own "address already in use", should the port be taken between the check and the bind.</summary>
    public static bool IsAddressInUse(Exception ex) =>
        ex is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException }
        || ex.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse };
}
