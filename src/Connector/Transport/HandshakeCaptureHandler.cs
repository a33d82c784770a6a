using System.Net;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// Sits between <see cref="System.Net.WebSockets.ClientWebSocket"/> and the socket handler for one handshake, and keeps
/// the body of a rejected upgrade.
/// </summary>
/// <remarks>
/// ClientWebSocket reports only the status and headers of a failed upgrade; the service's error code and message are in
/// the body, which would otherwise be lost. The body is read (capped) only when the upgrade was refused, and so is its
/// <c>Retry-After</c>, turned into a delay at once: an HTTP date means "this long from now", now being its arrival.
/// </remarks>
internal sealed class HandshakeCaptureHandler : DelegatingHandler
{
    public HandshakeCaptureHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>Gets the status of a refused upgrade, if the last handshake was refused.</summary>
    public HttpStatusCode? RejectedStatus { get; private set; }

    /// <summary>Gets the (possibly truncated) body of a refused upgrade.</summary>
    public string? RejectedBody { get; private set; }

    /// <summary>Gets the delay a refused upgrade asked for (<c>Retry-After</c>), if it sent one; see <see cref="RetryAfterHeader"/>.</summary>
    public TimeSpan? RejectedRetryAfter { get; private set; }

    /// <summary>Gets the clock an HTTP-date <c>Retry-After</c> is measured against (default: the system clock).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.SwitchingProtocols && !response.IsSuccessStatusCode)
        {
            RejectedRetryAfter = RetryAfterHeader.Parse(response.Headers, Time);
            RejectedStatus = response.StatusCode;
            RejectedBody = await HttpErrorBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}
