using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// A real OpenAI Responses server on Kestrel for tests, examples and benchmarks: WebSocket mode at
/// <c>ws://127.0.0.1:{port}/v1/responses</c> and HTTP (JSON or SSE) at <c>POST /v1/responses</c> (also under Azure
/// OpenAI's <c>/openai/v1</c> base), answered by a
/// deterministic <see cref="ScriptedModel"/>, with a <see cref="FaultPlan"/> for failure injection.
/// It only ever listens on 127.0.0.1, on an ephemeral port unless <see cref="LocalResponsesServerOptions.Port"/> is set.
/// </summary>
public sealed class LocalResponsesServer : IAsyncDisposable
{
    private const string ResponsesPath = "/v1/responses";

    // Azure OpenAI's v1 API serves the same protocol under /openai/v1.
    private const string AzureResponsesPath = "/openai/v1/responses";

    private readonly WebApplication _app;
    private readonly ServerActivity _activity;
    private readonly CancellationTokenSource _stopping;
    private readonly WebSocketEndpoint _webSockets;
    private int _disposed;

    private LocalResponsesServer(WebApplication app, ServerActivity activity, CancellationTokenSource stopping, WebSocketEndpoint webSockets, ScriptedModel model, FaultPlan faults, string? apiKey, int port)
    {
        _app = app;
        _activity = activity;
        _stopping = stopping;
        _webSockets = webSockets;
        Model = model;
        Faults = faults;
        ApiKey = apiKey;
        BaseUri = new Uri($"http://127.0.0.1:{port}/v1");
        WebSocketUri = new Uri($"ws://127.0.0.1:{port}{ResponsesPath}");
    }

    /// <summary>The HTTP base address, <c>http://127.0.0.1:{port}/v1</c>, as an OpenAI client expects it.</summary>
    public Uri BaseUri { get; }

    /// <summary>The WebSocket endpoint, <c>ws://127.0.0.1:{port}/v1/responses</c>.</summary>
    public Uri WebSocketUri { get; }

    /// <summary>
    /// The key requests must present as <c>Authorization: Bearer &lt;key&gt;</c> or (as Azure OpenAI accepts it)
    /// <c>api-key: &lt;key&gt;</c>, or <see langword="null"/> when none is required.
    /// </summary>
    public string? ApiKey { get; }

    /// <summary>The deterministic model that answers every generated response.</summary>
    public ScriptedModel Model { get; }

    /// <summary>The queue of faults to inject.</summary>
    public FaultPlan Faults { get; }

    /// <summary>A snapshot of every WebSocket text message and POST body received, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => _activity.Requests;

    /// <summary>How many WebSocket upgrades succeeded so far.</summary>
    public int HandshakeCount => _activity.HandshakeCount;

    /// <summary>
    /// How many WebSocket upgrade attempts were answered with an error status instead of 101: refused by
    /// <see cref="RefuseWebSocketUpgrades"/>, rejected by <see cref="FaultPlan.RejectNextHandshake"/>, or for a missing
    /// API key. Every attempt is in <see cref="HandshakeHeaders"/>; it holds <see cref="HandshakeCount"/> plus this many.
    /// </summary>
    public int RefusedUpgradeCount => _activity.RefusedUpgradeCount;

    /// <summary>
    /// The HTTP status every WebSocket upgrade is refused with (e.g. 426, 404 or 405), as a server without WebSocket
    /// mode answers, or <see langword="null"/> to accept upgrades. Starts as
    /// <see cref="LocalResponsesServerOptions.RefuseWebSocketUpgrades"/>; may be changed at any time from any thread and
    /// applies to the next upgrade (open connections stay open). <c>POST /v1/responses</c> is unaffected.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a status outside 400 to 599.</exception>
    public int? RefuseWebSocketUpgrades
    {
        get => _webSockets.RefuseUpgrades;
        set => _webSockets.RefuseUpgrades = value;
    }

    /// <summary>How many WebSocket connections are open now.</summary>
    public int OpenConnectionCount => _activity.OpenConnectionCount;

    /// <summary>The request headers of every WebSocket upgrade attempt, rejected ones included (keys are case-insensitive).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> HandshakeHeaders => _activity.HandshakeHeaders;

    /// <summary>
    /// How many input items re-sent something a continuation already holds (a <c>function_call</c> with a known
    /// <c>call_id</c>, or an assistant message or reasoning item with a known id). A well-behaved client keeps this at 0.
    /// </summary>
    public int DuplicateItemCount => _activity.DuplicateItemCount;

    /// <summary>Starts a server on 127.0.0.1, on an ephemeral port unless <see cref="LocalResponsesServerOptions.Port"/> is set.</summary>
    /// <param name="options">Settings; <see langword="null"/> uses the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The port is not between 0 and 65535, or
    /// <see cref="LocalResponsesServerOptions.RefuseWebSocketUpgrades"/> is not between 400 and 599.</exception>
    /// <exception cref="IOException">The fixed port is already in use.</exception>
    public static async Task<LocalResponsesServer> StartAsync(LocalResponsesServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var port = options?.Port ?? 0;
        ArgumentOutOfRangeException.ThrowIfNegative(port, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort, nameof(options));
        if (options?.RefuseWebSocketUpgrades is { } refusal)
        {
            Rejections.CheckErrorStatus(refusal, nameof(options));
        }

        // A private copy: changing the caller's options object after start must not change a running server.
        options = new LocalResponsesServerOptions
        {
            ApiKey = options?.ApiKey,
            DefaultModel = options?.DefaultModel ?? "local-model",
            RecordRequests = options?.RecordRequests ?? true,
            TimeProvider = options?.TimeProvider ?? TimeProvider.System,
            IsReasoningModel = options?.IsReasoningModel ?? LocalResponsesServerOptions.IsReasoningModelByDefault,
            RefuseWebSocketUpgrades = options?.RefuseWebSocketUpgrades,
        };
        var model = new ScriptedModel();
        var faults = new FaultPlan();
        var activity = new ServerActivity(options.RecordRequests);
        var engine = new ResponsesEngine(model, faults, activity, new ReasoningRules(options.IsReasoningModel), options.TimeProvider);
        var stopping = new CancellationTokenSource();
        var webSockets = new WebSocketEndpoint(engine, activity, faults, options, stopping.Token);
        var http = new HttpResponsesEndpoint(engine, activity, faults, options, stopping.Token);

        // The empty builder reads no configuration, environment or appsettings, so nothing can add an endpoint
        // beyond the loopback one below, and no logging provider writes to the console.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        // Inline scheduling hands each flushed write to the kernel before the flush returns, so a drop fault that
        // half-closes the socket right after N events cannot lose events still queued inside Kestrel.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var app = builder.Build();
        app.UseWebSockets();
        app.Run(context => DispatchAsync(context, webSockets, http));

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LocalResponsesServer(app, activity, stopping, webSockets, model, faults, options.ApiKey, new Uri(address).Port);
    }

    /// <summary>Completes when at least <paramref name="count"/> requests have been received; use it instead of sleeping.</summary>
    /// <param name="count">The number of requests to wait for.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>A task that completes once <paramref name="count"/> requests (WebSocket messages and POST bodies) have arrived.</returns>
    public Task WaitForRequestCountAsync(int count, CancellationToken ct = default) => _activity.WaitForRequestCountAsync(count, ct);

    /// <summary>Aborts open connections and stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Abort sessions first: Kestrel's graceful stop would otherwise wait for every open socket to close.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static Task DispatchAsync(HttpContext context, WebSocketEndpoint webSockets, HttpResponsesEndpoint http)
    {
        var path = context.Request.Path.Value?.TrimEnd('/');
        if (!string.Equals(path, ResponsesPath, StringComparison.OrdinalIgnoreCase) && !string.Equals(path, AzureResponsesPath, StringComparison.OrdinalIgnoreCase))
        {
            var notFound = new ApiError(404, "invalid_request_error", null, $"Invalid URL ({context.Request.Method} {context.Request.Path}).", null);
            return JsonReplies.WriteErrorAsync(context.Response, notFound);
        }

        if (context.WebSockets.IsWebSocketRequest)
        {
            return webSockets.HandleAsync(context);
        }

        if (HttpMethods.IsPost(context.Request.Method))
        {
            return http.HandleAsync(context);
        }

        var notAllowed = new ApiError(405, "invalid_request_error", null, "Use POST, or GET with a WebSocket upgrade.", null);
        return JsonReplies.WriteErrorAsync(context.Response, notAllowed);
    }
}
