using System.Net;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// Sits between <see cref="System.Net.WebSockets.ClientWebSocket"/> and the socket handler for one handshake, and keeps
/// the body of a rejected upgrade.
/// </summary>
/// <remarks>
/// ClientWebSocket reports only the status and headers of a failed upgrade; the service's error code and message are in
/// the body, which would otherwise be lost. The body is read (capped) only when the upgrade was refused.
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

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.SwitchingProtocols && !response.IsSuccessStatusCode)
        {
            RejectedStatus = response.StatusCode;
            RejectedBody = await HttpErrorBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}
