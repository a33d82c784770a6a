using ResponsesWebSocket.Diagnostics;

namespace ResponsesWebSocket.Tests.Transport;

public class UriRedactionTests
{
    [Theory]
    [InlineData("wss://api.openai.com/v1/responses", "wss://api.openai.com/v1/responses")]
    [InlineData("wss://gw.example/v1/responses?api-key=sk-1&sig=2", "wss://gw.example/v1/responses?api-key=redacted&sig=redacted")]
    [InlineData("wss://gw.example/v1/responses?api-version=2025-04-01&key=sk-1", "wss://gw.example/v1/responses?api-version=2025-04-01&key=redacted")]
    [InlineData("wss://u:p@gw.example:8443/v1/responses", "wss://gw.example:8443/v1/responses")]
    [InlineData("wss://gw.example/v1/responses?sk-bare-token", "wss://gw.example/v1/responses?redacted")]
    [InlineData("wss://gw.example/v1/responses#token=sk-1", "wss://gw.example/v1/responses")]
    public void Secrets_are_masked_and_the_rest_kept(string uri, string expected) =>
        UriRedaction.Redact(new Uri(uri)).Should().Be(expected);
}
