using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Tests.Security;

/// <summary>A redirected upgrade is not followed: the key is never presented to the redirect's target.</summary>
public class RedirectTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirected_upgrade_fails_as_rejected_and_the_target_never_sees_the_key(int status)
    {
        await using var target = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { ApiKey = "sk-secret" });
        await using var redirector = await StartRedirectorAsync(status, target.WebSocketUri);
        await using var client = new ResponsesWebSocketChatClient(new() { Endpoint = redirector.BaseUri, ApiKey = "sk-secret", Model = "m" });

        var act = () => client.GetResponseAsync("hi").WaitAsync(Patience);

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.HandshakeRejected);
        error.StatusCode.Should().Be(status);
        target.HandshakeHeaders.Should().BeEmpty("the redirect was not followed");
    }

    /// <summary>A loopback-only Kestrel app that answers every request with a redirect to <paramref name="location"/>.</summary>
    private static async Task<Redirector> StartRedirectorAsync(int status, Uri location)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = new UriBuilder(location) { Scheme = "http" }.Uri.ToString();
            return Task.CompletedTask;
        });
        await app.StartAsync().WaitAsync(Patience);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Redirector(app, new Uri(new Uri(address), "/v1"));
    }

    private sealed class Redirector(WebApplication app, Uri baseUri) : IAsyncDisposable
    {
        public Uri BaseUri { get; } = baseUri;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
