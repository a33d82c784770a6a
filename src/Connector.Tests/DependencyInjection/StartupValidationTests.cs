using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ResponsesWebSocket.Tests.DependencyInjection;

/// <summary>ValidateOnStart: a host with bad client options fails at start with a message naming the setting.</summary>
public class StartupValidationTests
{
    [Theory]
    [InlineData("https://api.openai.com/v1", null, "gpt-5.2", 15, "*ApiKey is required for the non-loopback endpoint wss://api.openai.com/v1/responses*")]
    [InlineData("https://api.openai.com/v1", "sk-test", null, 15, "*Model is required*")]
    [InlineData("https://api.openai.com/v1", "sk-test", "gpt-5.2", 0, "*ConnectTimeout must be positive*")]
    [InlineData("/relative", "sk-test", "gpt-5.2", 15, "*Endpoint must be an absolute http(s) URL*")]
    public async Task Host_fails_at_start_with_a_clear_message(string endpoint, string? apiKey, string? model, int connectSeconds, string expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddResponsesWebSocketChatClient(o =>
        {
            o.Endpoint = new Uri(endpoint, UriKind.RelativeOrAbsolute);
            o.ApiKey = apiKey;
            o.Model = model;
            o.ConnectTimeout = TimeSpan.FromSeconds(connectSeconds);
        });
        using var host = builder.Build();

        var start = () => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Match(expected);
    }

    [Fact]
    public async Task Every_broken_rule_is_reported_at_once_with_the_key()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKeyedResponsesWebSocketChatClient("remote", o =>
        {
            o.Endpoint = new Uri("https://api.openai.com/v1");
            o.MaxConnections = 0;
        });
        using var host = builder.Build();

        var start = () => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var failures = (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures;
        failures.Should().HaveCount(3).And.OnlyContain(f => f.StartsWith("ResponsesWebSocketChatClientOptions 'remote': ", StringComparison.Ordinal));
        failures.Should().Contain(f => f.Contains("ApiKey")).And.Contain(f => f.Contains("Model")).And.Contain(f => f.Contains("MaxConnections"));
    }

    [Fact]
    public async Task Valid_options_start_the_host_without_connecting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddResponsesWebSocketChatClient(o =>
        {
            o.Endpoint = new Uri("https://gateway.internal/v1");
            o.AllowNoApiKey = true;
            o.Model = "gpt-5.2";
        });
        using var host = builder.Build();

        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void The_constructor_applies_the_same_rules()
    {
        var act = () => new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("https://api.openai.com/v1"), Model = "m", KeepAliveTimeout = TimeSpan.FromSeconds(-1) });

        act.Should().Throw<ArgumentException>().WithMessage("*ApiKey is required*KeepAliveTimeout must be zero (off) or positive*");
    }
}
