namespace ResponsesWebSocket.Testing;

/// <summary>One server event, already serialized; <see cref="Type"/> is kept apart for the SSE <c>event:</c> line.</summary>
internal sealed record ResponseEvent(string Type, byte[] Json);
