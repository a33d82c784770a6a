namespace ResponsesWebSocket.Testing;

/// <summary>How the delivery of a response ended.</summary>
internal enum DeliveryOutcome
{
    /// <summary>Every event was sent; the connection stays usable.</summary>
    Delivered,

    /// <summary>The connection was aborted by a fault.</summary>
    Dropped,

    /// <summary>The server closed the connection gracefully.</summary>
    Closed,
}
