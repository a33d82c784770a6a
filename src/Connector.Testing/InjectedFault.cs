using System.Net.WebSockets;

namespace ResponsesWebSocket.Testing;

/// <summary>One queued fault with the parameters its <see cref="FaultKind"/> uses.</summary>
internal sealed record InjectedFault(FaultKind Kind)
{
    public int StatusCode { get; init; } = 400;
    public string? Body { get; init; }
    public TimeSpan? RetryAfter { get; init; }
    public ApiError? Error { get; init; }
    public int EventCount { get; init; }
    public WebSocketCloseStatus CloseStatus { get; init; } = WebSocketCloseStatus.NormalClosure;
    public string? CloseDescription { get; init; }
    public Task? Release { get; init; }
    public string? RawText { get; init; }
    public byte[]? BinaryData { get; init; }

    /// <summary>When set, only a request it matches may take this fault (<see cref="FaultPlan.When"/>).</summary>
    public Func<ReceivedRequest, bool>? Target { get; init; }

    public FaultPoint Point => Kind switch
    {
        FaultKind.RejectHandshake => FaultPoint.Handshake,
        FaultKind.RejectHttpRequest => FaultPoint.HttpRequest,
        FaultKind.ErrorOnCreate or FaultKind.ConnectionLimitOnCreate => FaultPoint.Create,
        _ => FaultPoint.Response,
    };

    /// <summary>
    /// Faults that only make sense on a socket are left queued for the next WebSocket request, and the HTTP rejection
    /// for the next POST.
    /// </summary>
    public bool AppliesTo(ServerTransport transport) => transport == ServerTransport.WebSocket
        ? Kind is not FaultKind.RejectHttpRequest
        : Kind is not (FaultKind.RejectHandshake or FaultKind.ConnectionLimitOnCreate or FaultKind.SendBinaryBefore);

    /// <summary>Faults that change which events a response consists of, rather than how they are delivered.</summary>
    public bool ShapesEvents => Kind is FaultKind.FailResponse or FaultKind.ErrorThenFailed or FaultKind.ErrorAfterEvents or FaultKind.TrailingTerminal;
}
