using System.Diagnostics;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Tests.Fuzzing;

/// <summary>
/// Runs mutated streams through the real path: the local server sends the frames verbatim over its WebSocket (or as
/// server-sent events, for the HTTP transport) and then closes, the client consumes them. Rules checked per iteration: the call ends with a result, a
/// <see cref="ResponsesException"/> or the caller's own cancellation; it ends within <see cref="HangBound"/>; when it
/// completed, continuing its conversation (which resends what the stream left in the transcript) obeys the same rules;
/// and a well-formed call right after it, on the same client, succeeds.
/// </summary>
internal static class EventStreamFuzzer
{
    /// <summary>The caller's own deadline per call (its cancellation is an allowed outcome).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Past this, a call counts as hung: it ignored both the server's close and the caller's token.</summary>
    public static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);

    /// <summary>The client's limit during fuzzing: small, so oversize mutations hit it on both sides.</summary>
    public const int MaxMessageSize = 64 * 1024;

    private const int MaxFindings = 5;

    public static async Task<FuzzReport> RunAsync(IReadOnlyList<FuzzSeed> seeds, int iterations, int seed, ResponsesTransport transport = ResponsesTransport.WebSocket)
    {
        var report = new FuzzReport(seed, iterations);
        var clock = Stopwatch.StartNew();
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { RecordRequests = false });
        using var watcher = new ConnectionWatcher();
        await using var client = new ResponsesWebSocketChatClient(
            new ResponsesWebSocketChatClientOptions
            {
                Endpoint = server.BaseUri,
                Model = "local-model",
                MaxMessageSize = MaxMessageSize,
                MaxConnections = 2,
                Transport = transport,
            },
            watcher);

        for (var i = 0; i < iterations && report.Findings.Count < MaxFindings; i++)
        {
            // One generator per iteration: any iteration replays alone from (seed, i).
            var random = new Random(unchecked((seed * 1_000_003) + i));
            var source = seeds[random.Next(seeds.Count)];
            var (frames, applied) = new FrameMutator(random, seeds, MaxMessageSize).Mutate(source);
            var prompt = $"fuzz {seed}/{i}";
            server.Model.Enqueue(ScriptedReply.FromRawFrames([.. frames.Select(ToRawFrame)]));
            server.Faults.When(r => r.LastUserText == prompt).CloseConnectionAfterEvents(frames.Count);

            watcher.BeginCall();
            // Now and then the caller stops early: cancels its token, or abandons the stream, after a few updates.
            var stopAfter = random.Next(10) == 0 ? random.Next(4) : -1;
            var stop = stopAfter < 0 ? EarlyStop.None : random.Next(2) == 0 ? EarlyStop.Cancel : EarlyStop.Abandon;
            var (problem, conversationId) = await CallAsync(client, prompt, streaming: stop != EarlyStop.None || random.Next(2) == 0, report, stop: stop, stopAfter: stopAfter);
            problem ??= await StreamEndedAsync(watcher);
            if (problem is null && conversationId is not null)
            {
                // Continue what the fuzzed stream left in the transcript: its items are resent (chained or in full).
                problem = (await CallAsync(client, "and then?", streaming: false, report, conversationId, "continuation ")).Problem;
            }

            problem ??= await FollowUpAsync(client, $"check {seed}/{i}");
            if (problem is null && server.Model.PendingReplyCount > 0) problem = "the fuzzed reply was never requested";
            server.Faults.Clear();
            if (problem is not null)
            {
                report.Findings.Add(new FuzzFinding(i, source.Name, applied, problem, frames));
                if (problem.StartsWith("hang", StringComparison.Ordinal) || server.Model.PendingReplyCount > 0) break;
            }

            report.Completed = i + 1;
        }

        report.Elapsed = clock.Elapsed;
        return report;
    }

    private static RawFrame ToRawFrame(FuzzFrame frame) => frame.Binary ? RawFrame.Binary(frame.Bytes) : RawFrame.TextBytes(frame.Bytes);

    /// <summary>
    /// Returns no problem when the call ended in an allowed way (with the conversation id to continue from when it
    /// completed), otherwise what went wrong.
    /// </summary>
    private static async Task<(string? Problem, string? ConversationId)> CallAsync(
        ResponsesWebSocketChatClient client, string prompt, bool streaming, FuzzReport report, string? conversationId = null, string label = "",
        EarlyStop stop = EarlyStop.None, int stopAfter = -1)
    {
        using var deadline = new CancellationTokenSource(CallTimeout);
        var clock = Stopwatch.StartNew();
        var options = new ChatOptions { ConversationId = conversationId };
        var call = streaming
            ? ConsumeAsync(client.GetStreamingResponseAsync(prompt, options, deadline.Token), stop, stopAfter, deadline, report)
            : client.GetResponseAsync(prompt, options, deadline.Token);
        if (await Task.WhenAny(call, Task.Delay(HangBound)) != call)
        {
            return ($"hang: the {label}call did not end within {HangBound.TotalSeconds} s", null);
        }

        try
        {
            var response = await call;
            report.Count(label + "completed");
            return (null, response.ConversationId);
        }
        catch (ResponsesException ex) when (IsSafetyNet(ex))
        {
            // Typed, so a caller is fine; but it means some code met data it did not expect, which is a gap to close.
            return ($"safety net in the {label}call: {ex.Message}{Environment.NewLine}{ex.InnerException}", null);
        }
        catch (ResponsesException ex)
        {
            report.Count(label + ex.Kind);
            return (null, null);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The caller's own token: cancelled on purpose (EarlyStop), or its deadline passed (a slow, not hung, call).
            report.Count(label + (clock.Elapsed >= CallTimeout ? "cancelled by the caller's deadline" : "ended by the caller's cancellation"));
            return (null, null);
        }
        catch (Exception ex)
        {
            return ($"crash in the {label}call: {ex.GetType().FullName}: {ex.Message}{Environment.NewLine}{ex.StackTrace}", null);
        }
    }

    /// <summary>The catch-alls of the reader loop and of mapping: they keep callers safe, but should never be needed.</summary>
    private static bool IsSafetyNet(ResponsesException ex) =>
        ex.Message.StartsWith("The client could not", StringComparison.Ordinal)
        || (ex.InnerException is ResponsesException inner && IsSafetyNet(inner));

    /// <summary>The server closes after the fuzzed frames: waits until the client has read all of them (bounded).</summary>
    private static async Task<string?> StreamEndedAsync(ConnectionWatcher watcher)
    {
        var connection = watcher.FirstCreateConnection;
        if (connection < 0) return "no request was sent";
        var stopped = watcher.StoppedAsync(connection);
        if (await Task.WhenAny(stopped, Task.Delay(HangBound)) != stopped)
        {
            return $"hang: the socket of the fuzzed stream was still read {HangBound.TotalSeconds} s after the server closed it";
        }

        watcher.Forget(connection);
        return null;
    }

    private static async Task<string?> FollowUpAsync(ResponsesWebSocketChatClient client, string prompt)
    {
        using var deadline = new CancellationTokenSource(CallTimeout);
        var call = client.GetResponseAsync(prompt, cancellationToken: deadline.Token);
        if (await Task.WhenAny(call, Task.Delay(HangBound)) != call)
        {
            return $"hang: the well-formed call after it did not end within {HangBound.TotalSeconds} s";
        }

        try
        {
            var text = (await call).Text;
            return text == "You said: " + prompt ? null : $"the well-formed call after it answered \"{text}\"";
        }
        catch (Exception ex)
        {
            return $"the well-formed call after it failed: {ex.GetType().FullName}: {ex.Message}";
        }
    }

    private static async Task<ChatResponse> ConsumeAsync(
        IAsyncEnumerable<ChatResponseUpdate> updates, EarlyStop stop, int stopAfter, CancellationTokenSource deadline, FuzzReport report)
    {
        var received = new List<ChatResponseUpdate>();
        await foreach (var update in updates.ConfigureAwait(false))
        {
            // Touch what a caller would: the text and the content list.
            _ = update.Text;
            received.Add(update);
            if (received.Count <= stopAfter) continue;
            if (stop == EarlyStop.Cancel)
            {
                report.Count("cancelled after " + stopAfter + " updates");
                await deadline.CancelAsync().ConfigureAwait(false);
            }
            else if (stop == EarlyStop.Abandon)
            {
                report.Count("abandoned after " + stopAfter + " updates");
                break;
            }
        }

        return received.ToChatResponse();
    }

    /// <summary>How a caller stops reading a stream early, if at all.</summary>
    private enum EarlyStop
    {
        None,
        Cancel,
        Abandon,
    }
}
