namespace ResponsesWebSocket.Testing;

/// <summary>
/// One message a response sends, already serialized. <see cref="Type"/> is kept apart for the SSE <c>event:</c> line
/// (<see langword="null"/> for a raw frame that is not a typed JSON event); <see cref="Binary"/> marks a binary
/// WebSocket message, which SSE cannot carry.
/// </summary>
internal sealed record ResponseEvent(string? Type, byte[] Payload, bool Binary = false);
