using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Examples;

/// <summary>
/// Where an example connects: the real service when <c>OPENAI_API_KEY</c> is set (<c>OPENAI_BASE_URL</c> and
/// <c>OPENAI_MODEL</c> are honoured), otherwise the bundled local Responses server on 127.0.0.1, answered by the
/// example's scripted model.
/// </summary>
internal sealed class ExampleTarget : IAsyncDisposable
{
    private ExampleTarget(string? apiKey, Uri endpoint, string model, LocalResponsesServer? localServer)
    {
        ApiKey = apiKey;
        Endpoint = endpoint;
        Model = model;
        LocalServer = localServer;
    }

    public string? ApiKey { get; }

    public Uri Endpoint { get; }

    public string Model { get; }

    /// <summary>Gets the local server, when no key was set.</summary>
    public LocalResponsesServer? LocalServer { get; }

    /// <param name="localModel">How the local server's model answers; <see langword="null"/> keeps its default replies.</param>
    /// <param name="localModelDescription">Said after the local server's address, e.g. "with a scripted agent model".</param>
    public static async Task<ExampleTarget> StartAsync(Func<ModelTurn, ScriptedReply>? localModel = null, string? localModelDescription = null)
    {
        var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        var localServer = string.IsNullOrEmpty(apiKey) ? await LocalResponsesServer.StartAsync() : null;
        var endpoint = localServer?.BaseUri
            ?? new Uri(Environment.GetEnvironmentVariable("OPENAI_BASE_URL") ?? "https://api.openai.com/v1");
        var model = Environment.GetEnvironmentVariable("OPENAI_MODEL") ?? (localServer is null ? "gpt-5.2" : "local-model");
        if (localServer is not null)
        {
            localServer.Model.Responder = localModel;
            var description = localModelDescription is null ? "" : " " + localModelDescription;
            Console.WriteLine($"OPENAI_API_KEY is not set: using the local Responses server at {localServer.BaseUri}{description}.");

            // EXAMPLE_REFUSE_WEBSOCKET=426 (or 404, 405) plays a proxy or server without WebSocket mode: the client falls back
            // to HTTP with server-sent events (ResponsesTransport.Auto) and every turn still completes.
            if (int.TryParse(Environment.GetEnvironmentVariable("EXAMPLE_REFUSE_WEBSOCKET"), out var refuse))
            {
                if (refuse is < 400 or > 599)
                {
                    throw new InvalidOperationException($"EXAMPLE_REFUSE_WEBSOCKET must be an HTTP error status such as 426, 404 or 405 (was {refuse}).");
                }

                localServer.RefuseWebSocketUpgrades = refuse;
                Console.WriteLine($"EXAMPLE_REFUSE_WEBSOCKET={refuse}: the local server refuses every WebSocket upgrade; the client falls back to HTTP.");
            }
        }

        return new ExampleTarget(apiKey, endpoint, model, localServer);
    }

    public async ValueTask DisposeAsync()
    {
        if (LocalServer is not null) await LocalServer.DisposeAsync();
    }
}
