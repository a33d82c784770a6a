namespace ResponsesWebSocket.Testing;

/// <summary>The faults <see cref="FaultPlan"/> can inject; see the matching <see cref="FaultPlan"/> methods.</summary>
internal enum FaultKind
{
    RejectHandshake,
    RejectHttpRequest,
    ErrorOnCreate,
    ConnectionLimitOnCreate,
    FailResponse,
    ErrorThenFailed,
    ErrorAfterEvents,
    DropAfterEvents,
    CloseAfterEvents,
    PauseAfterEvents,
    SendRawBefore,
    SendBinaryBefore,
    TrailingTerminal,
}
