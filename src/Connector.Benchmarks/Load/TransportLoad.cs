using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Benchmarks.Load;

/// <summary>
/// Many concurrent tool-loop conversations through ONE <see cref="ResponsesWebSocketChatClient"/> (Transport=Auto, wrapped
/// in <c>UseFunctionInvocation()</c>) against the local server, with seeded connection drops and 426 upgrade rejections.
/// Shared by the load test (which asserts on the <see cref="LoadReport"/>) and the benchmark's <c>load</c> command.
/// </summary>
/// <remarks>
/// <para>Each conversation has its own tool, <c>lookup_N</c>, whose result carries the conversation's number and a secret
/// drawn from the seed; the scripted model answers, after ten results, with exactly the results it finds in its context,
/// so an answer can only be right if no item of another conversation (and no duplicate) reached that context.</para>
/// <para>What the library promises, and so what the caller does: a connection lost before the first event of a response
/// is resent on a new channel, invisibly; one lost after events arrived is never replayed (that could duplicate output)
/// and surfaces as <see cref="ResponsesErrorKind.ConnectionClosed"/>. The caller then retries from what it has: the
/// messages of every completed tool round (up to the last tool result it saw), so completed calls are not invoked again.
/// A 426 on an upgrade switches the client to HTTP for <see cref="LoadSettings.HttpFallbackDuration"/>, invisibly.</para>
/// </remarks>
internal static class TransportLoad
{
    private const string Model = "local-model";

    public static async Task<LoadReport> RunAsync(LoadSettings settings)
    {
        // A small fault-free run against a throwaway server first, so the heap baseline already holds what the first use of
        // the client, the server and the runtime leave behind for good (JIT'd generics, statics, pooled buffers).
        await using (var warmupServer = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { RecordRequests = false }).ConfigureAwait(false))
        {
            var warmup = settings with { Conversations = 2, Turns = 2, DropBeforeFirstEventRate = 0, DropMidStreamRate = 0, RejectUpgradeRate = 0, OnToolInvoked = null, TimeProvider = TimeProvider.System, ResponseIdleTimeout = TimeSpan.FromMinutes(5) };
            await RunCoreAsync(warmupServer, warmup, rejectFirstUpgrade: false).ConfigureAwait(false);
        }

        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { RecordRequests = false }).ConfigureAwait(false);
        var baseline = CollectedHeap();
        var (partial, client) = await RunCoreAsync(server, settings, rejectFirstUpgrade: true).ConfigureAwait(false);
        var collected = await IsCollectedAsync(client).ConfigureAwait(false);
        var afterDispose = CollectedHeap();
        return partial with { ClientCollected = collected, HeapBaselineBytes = baseline, HeapAfterDisposeBytes = afterDispose };
    }

    /// <summary>
    /// Runs the conversations on a new client, disposes it and returns what was seen, with only a weak reference to the
    /// client: the caller then checks that nothing left running (timers, callbacks, registries) still holds it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(LoadReport Report, WeakReference Client)> RunCoreAsync(LocalResponsesServer server, LoadSettings settings, bool rejectFirstUpgrade)
    {
        if (settings.Transport != ResponsesTransport.Auto) settings = settings with { RejectUpgradeRate = 0 };
        rejectFirstUpgrade &= settings.Transport == ResponsesTransport.Auto;
        var faults = new LoadFaults(settings);
        var outcomes = Enumerable.Range(0, settings.Conversations).Select(c => new ConversationOutcome(c, ExpectedFinalText(settings, c))).ToArray();
        var counters = new Counters();
        var rejections = rejectFirstUpgrade ? 1 : 0;
        for (var c = 0; c < settings.Conversations; c++)
        {
            for (var step = 0; step < settings.Turns; step++) rejections += faults.RejectsUpgradeAfter(c, step) ? 1 : 0;
        }

        var client = CreateClient(server, settings, counters);
        var weak = new WeakReference(client);
        Action observe = () => counters.Observe(server.OpenConnectionCount, client.LiveConnectionCount);
        server.Model.Responder = turn => Reply(turn, settings, counters, observe);
        faults.Schedule(server.Faults);

        // The first upgrade is refused, so HTTP is used from the start whatever the seed; the rest come from the seed.
        if (rejectFirstUpgrade) server.Faults.RejectNextHandshake(426);

        var agent = new ChatClientBuilder(client).UseFunctionInvocation().Build();
        var clock = Stopwatch.StartNew();
        var finished = false;
        try
        {
            var all = Task.WhenAll(outcomes.Select(outcome => Task.Run(() => RunConversationAsync(agent, outcome, settings, faults, server.Faults, observe))));
            await all.WaitAsync(settings.Timeout).ConfigureAwait(false);
            finished = true;
        }
        catch (TimeoutException)
        {
            var unfinished = outcomes.Where(o => o.FinalText is null).Select(o => string.Create(CultureInfo.InvariantCulture, $"conv{o.Index} (steps {string.Join(',', o.InvokedSteps)}, attempts {o.Attempts})"));
            throw new TimeoutException($"Load run with seed {settings.Seed} did not finish in {settings.Timeout}: {string.Join("; ", unfinished)}.");
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Load run with seed {settings.Seed} failed: {ex.Message}", ex);
        }
        finally
        {
            clock.Stop();
            server.Model.Responder = null;

            // A failed run still ends its calls and closes its channels before the failure is reported.
            if (!finished) await client.DisposeAsync().ConfigureAwait(false);
        }

        var loaded = CollectedHeap();

        // DisposeAsync first: it returns once every channel is closed (the builder's Dispose would call the client's
        // synchronous Dispose, which aborts the channels and lets them finish closing in the background).
        await client.DisposeAsync().ConfigureAwait(false);
        agent.Dispose();
        var report = new LoadReport
        {
            Settings = settings,
            Conversations = outcomes,
            ScheduledDropsBeforeFirstEvent = faults.DropsBeforeFirstEvent,
            ScheduledDropsMidStream = faults.DropsMidStream,
            QueuedUpgradeRejections = rejections,
            FaultsLeftOver = server.Faults.PendingCount,
            TransparentResends = Volatile.Read(ref counters.TransparentResends),
            CreatesSent = Volatile.Read(ref counters.CreatesSent),
            WebSocketResponses = Volatile.Read(ref counters.WebSocketResponses),
            HttpResponses = Volatile.Read(ref counters.HttpResponses),
            HandshakesAccepted = server.HandshakeCount,
            ForeignToolsSeenByModel = Volatile.Read(ref counters.ForeignTools),
            PeakServerSockets = Volatile.Read(ref counters.PeakServerSockets),
            PeakClientChannels = Volatile.Read(ref counters.PeakClientChannels),
            LiveChannelsAfterDispose = client.LiveConnectionCount,
            ClientCollected = false, // measured by the caller, once this method's frames are gone
            HeapBaselineBytes = 0,
            HeapLoadedBytes = loaded,
            HeapAfterDisposeBytes = 0,
            Elapsed = clock.Elapsed,
        };
        server.Faults.Clear();
        return (report, weak);
    }

    private static ResponsesWebSocketChatClient CreateClient(LocalResponsesServer server, LoadSettings settings, Counters counters) => new(new ResponsesWebSocketChatClientOptions
    {
        Endpoint = server.BaseUri,
        Model = Model,
        Transport = settings.Transport,
        MaxConnections = settings.MaxConnections,
        HttpFallbackDuration = settings.HttpFallbackDuration,
        ResponseIdleTimeout = settings.ResponseIdleTimeout,
        TimeProvider = settings.TimeProvider,

        // A request refused or dropped before its response started is retried after a backoff measured on the client's
        // clock. The test's clock only moves with tool calls, so a backoff could wait on a clock nobody moves once the
        // other conversations are done: retries go again at once here (the policy's own tests cover its delays).
        RetryPolicy = new ExponentialBackoffRetryPolicy { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },

        // local-model does not reason: Auto would add one 400 round trip, and a resend, to the first call.
        EncryptedReasoning = EncryptedReasoningMode.Never,
        RequestSent = info =>
        {
            Interlocked.Increment(ref counters.CreatesSent);
            if (info.Attempt > 0) Interlocked.Increment(ref counters.TransparentResends);
        },
    });

    /// <summary>One conversation: the function-invoking loop, retried from its completed tool rounds when a drop surfaces.</summary>
    private static async Task RunConversationAsync(IChatClient agent, ConversationOutcome outcome, LoadSettings settings, LoadFaults faults, FaultPlan plan, Action observe)
    {
        var c = outcome.Index;
        var secret = Secret(settings, c);
        var tool = AIFunctionFactory.Create(
            (int step) =>
            {
                outcome.Invoked(step);
                observe();
                settings.OnToolInvoked?.Invoke();
                if (faults.RejectsUpgradeAfter(c, step)) plan.RejectNextHandshake(426);
                return Marker(c, step, secret);
            },
            ToolName(c),
            "Looks up one step of this conversation.");
        var options = new ChatOptions { Tools = [tool] };
        List<ChatMessage> history = [new(ChatRole.User, LoadFaults.Prompt(c))];

        // Every scheduled fault is taken once, so a conversation needs at most one retry per response it makes.
        for (var attempt = 0; attempt <= settings.Turns + 2; attempt++)
        {
            outcome.Attempts++;
            List<ChatResponseUpdate> updates = [];
            try
            {
                await foreach (var update in agent.GetStreamingResponseAsync(history, options).ConfigureAwait(false))
                {
                    updates.Add(update);
                    if (update.ResponseId is { } responseId) outcome.ResponseIds.Add(responseId);
                    if (update.ConversationId is { } conversationId) outcome.ConversationIds.Add(conversationId);
                }

                outcome.FinalText = string.Concat(updates.Select(u => u.Text));
                return;
            }
            catch (ResponsesException failure) when (failure.Kind == ResponsesErrorKind.ConnectionClosed)
            {
                outcome.SurfacedFailures.Add(failure);

                // Keep every completed tool round: everything up to the last tool result. The failed response's partial
                // updates (and its ErrorContent, when output had surfaced) are dropped; the model answers that turn again.
                var lastResult = updates.FindLastIndex(u => u.Role == ChatRole.Tool);
                if (lastResult >= 0) history.AddRange(updates.Take(lastResult + 1).ToChatResponse().Messages);
            }
        }

        throw new InvalidOperationException($"conv{c} failed more often than faults were scheduled for it.");
    }

    /// <summary>The scripted model: call this conversation's tool once per step, then answer with the results it sees.</summary>
    private static ScriptedReply Reply(ModelTurn turn, LoadSettings settings, Counters counters, Action observe)
    {
        observe();
        Interlocked.Increment(ref turn.ConnectionId == 0 ? ref counters.HttpResponses : ref counters.WebSocketResponses);
        var c = ConversationOf(turn.LastUserText);
        var tools = turn.Tools.Select(t => t.TryGetProperty("name", out var name) ? name.GetString() : null).ToList();
        if (c < 0 || tools.Count != 1 || tools[0] != ToolName(c)) Interlocked.Increment(ref counters.ForeignTools);

        var outputs = turn.FunctionOutputsSinceLastUserMessage;
        if (outputs.Count < settings.Turns)
        {
            return ScriptedReply.CallFunctions(new ScriptedFunctionCall(tools.FirstOrDefault() ?? "missing", string.Create(CultureInfo.InvariantCulture, $$"""{"step":{{outputs.Count}}}""")));
        }

        return ScriptedReply.WithText("final " + string.Join(" | ", outputs.Select(OutputText)));
    }

    private static string ExpectedFinalText(LoadSettings settings, int c) =>
        "final " + string.Join(" | ", Enumerable.Range(0, settings.Turns).Select(step => Marker(c, step, Secret(settings, c))));

    private static string Marker(int c, int step, string secret) => LoadFaults.Marker(c, step) + " secret " + secret;

    private static string Secret(LoadSettings settings, int c) =>
        ((uint)HashCode.Combine(settings.Seed, c, 0x5EC)).ToString("x8", CultureInfo.InvariantCulture);

    private static string ToolName(int c) => string.Create(CultureInfo.InvariantCulture, $"lookup_{c}");

    private static int ConversationOf(string? prompt)
    {
        if (prompt is null || !prompt.StartsWith("[conv", StringComparison.Ordinal)) return -1;
        var end = prompt.IndexOf('/', StringComparison.Ordinal);
        return end > 5 && int.TryParse(prompt.AsSpan(5, end - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : -1;
    }

    // function_call_output.output is a string, or a list of content parts.
    private static string OutputText(JsonElement item)
    {
        if (!item.TryGetProperty("output", out var output)) return string.Empty;
        if (output.ValueKind == JsonValueKind.String) return output.GetString() ?? string.Empty;
        return output.ValueKind == JsonValueKind.Array
            ? string.Concat(output.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : null))
            : output.GetRawText();
    }

    /// <summary>
    /// Whether the client is garbage once its caller let go. Checked a few times, a little apart: the last channel's close
    /// resumes <c>DisposeAsync</c>, and the run after it, inline on that channel's thread, whose stack still references the
    /// client until it unwinds, which under CPU load may take a moment. A leak (a timer, a callback, a registry holding
    /// the client) keeps it alive for good, so every check fails.
    /// </summary>
    private static async Task<bool> IsCollectedAsync(WeakReference client)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            CollectedHeap();
            if (!client.IsAlive) return true;
            await Task.Delay(20).ConfigureAwait(false);
        }

        return false;
    }

    private static long CollectedHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class Counters
    {
        // Fields on purpose: updated with Interlocked.
        public int CreatesSent;
        public int TransparentResends;
        public int WebSocketResponses;
        public int HttpResponses;
        public int ForeignTools;
        public int PeakServerSockets;
        public int PeakClientChannels;

        public void Observe(int serverSockets, int clientChannels)
        {
            Max(ref PeakServerSockets, serverSockets);
            Max(ref PeakClientChannels, clientChannels);
        }

        private static void Max(ref int peak, int value)
        {
            var current = Volatile.Read(ref peak);
            while (value > current)
            {
                var seen = Interlocked.CompareExchange(ref peak, value, current);
                if (seen == current) return;
                current = seen;
            }
        }
    }
}
