using System.Globalization;
using System.Runtime.InteropServices;
using ResponsesWebSocket.Testing;

// Runs the bundled local Responses server on its own, so that clients in any language (the OpenAI Node or Python
// SDK, curl) can be pointed at it offline. It listens on 127.0.0.1 only: no argument can change the address.

const string Usage = """
    Usage: dotnet run --project src/Connector.Testing.Host -- [--port <port>] [--api-key <key>] [--refuse-websocket [status]]

      --port <port>                 TCP port on 127.0.0.1 (default 0: a free ephemeral port, printed at start).
      --api-key <key>               Require "Authorization: Bearer <key>" on every request (default: no key required).
      --refuse-websocket [status]   Refuse every WebSocket upgrade with this HTTP status (default 426; e.g. 404, 405),
                                    as a server without WebSocket mode does. POST /v1/responses keeps working.

    The server always listens on 127.0.0.1 only. Stop it with Ctrl+C.
    """;

var port = 0;
string? apiKey = null;
int? refuseWebSocket = null;
for (var i = 0; i < args.Length; i++)
{
    var name = args[i];
    if (name is "--help" or "-h")
    {
        Console.WriteLine(Usage);
        return 0;
    }

    if (name == "--refuse-websocket")
    {
        // The status is optional: take the next argument only when it is a number, so "--refuse-websocket --port 0" works.
        var status = 426;
        if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var given))
        {
            status = given;
            i++;
        }

        if (status is < 400 or > 599)
        {
            Console.Error.WriteLine($"--refuse-websocket needs an error status between 400 and 599, not {status}.");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        refuseWebSocket = status;
        continue;
    }

    var value = ++i < args.Length ? args[i] : null;
    bool valid;
    if (name == "--port")
    {
        valid = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
    }
    else if (name == "--api-key")
    {
        apiKey = value;
        valid = !string.IsNullOrEmpty(value);
    }
    else
    {
        valid = false;
    }

    if (!valid)
    {
        Console.Error.WriteLine($"Unrecognized argument or bad value: {name} {value}");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

LocalResponsesServer server;
try
{
    server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions
    {
        Port = port,
        ApiKey = apiKey,
        RefuseWebSocketUpgrades = refuseWebSocket,
        // A long-running host must not keep every request in memory.
        RecordRequests = false,
    });
}
catch (IOException exception)
{
    Console.Error.WriteLine($"Could not listen on 127.0.0.1:{port}: {exception.Message}");
    return 1;
}

await using (server)
{
    Console.WriteLine("Local Responses server (scripted model), listening on 127.0.0.1 only.");
    Console.WriteLine($"Base URL:      {server.BaseUri}");
    Console.WriteLine(refuseWebSocket is { } refused
        ? $"WebSocket URL: {server.WebSocketUri} (every upgrade refused with {refused}: HTTP only)"
        : $"WebSocket URL: {server.WebSocketUri}");
    Console.WriteLine(apiKey is null
        ? "API key:       none required (any Authorization header, or none, is accepted)"
        : $"API key:       {apiKey}");
    Console.WriteLine("Press Ctrl+C to stop.");
    await stop.Task.ConfigureAwait(false);
}

Console.WriteLine("Stopped.");
return 0;

void Stop(PosixSignalContext context)
{
    // Keep the process alive until the server has stopped cleanly.
    context.Cancel = true;
    stop.TrySetResult();
}
