using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary><see cref="LocalResponsesServerOptions.Port"/>: a known port, still on 127.0.0.1 only.</summary>
public sealed class FixedPortTests
{
    [Fact]
    public async Task A_fixed_port_is_honoured_and_bound_on_loopback_only()
    {
        var port = FreeLoopbackPort();

        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { Port = port });

        server.BaseUri.Should().Be(new Uri($"http://127.0.0.1:{port}/v1"));
        server.WebSocketUri.Should().Be(new Uri($"ws://127.0.0.1:{port}/v1/responses"));
        using (var http = new HttpClient())
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}/v1/models").WaitAsync(TimeSpan.FromSeconds(30));
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, "the server answers on the fixed port");
        }

        // The kernel's own table of listening sockets (Linux): only 127.0.0.1 listens on the port, and no IPv6 socket.
        // Reading it sends nothing anywhere, unlike probing the machine's other addresses.
        if (OperatingSystem.IsLinux())
        {
            ListeningAddresses("/proc/net/tcp", port).Should().Equal("0100007F");
            ListeningAddresses("/proc/net/tcp6", port).Should().BeEmpty();
        }
    }

    [Fact]
    public async Task A_port_already_in_use_fails_the_start()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var start = () => LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { Port = port });

        await start.Should().ThrowAsync<IOException>();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public async Task A_port_out_of_range_is_refused(int port)
    {
        var start = () => LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { Port = port });

        await start.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    // Lines look like "  0: 0100007F:1F90 00000000:0000 0A …": local address:port in hex, then remote, then state (0A = LISTEN).
    private static List<string> ListeningAddresses(string table, int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        return [.. File.ReadLines(table)
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 3 && fields[3] == "0A" && fields[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
            .Select(fields => fields[1][..fields[1].IndexOf(':', StringComparison.Ordinal)])];
    }
}
