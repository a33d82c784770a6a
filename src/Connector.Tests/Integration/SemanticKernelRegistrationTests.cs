using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Integration;

/// <summary>
/// The ResponsesWebSocket.SemanticKernel registrations, resolved from real kernels and used against the local server.
/// </summary>
public class SemanticKernelRegistrationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_kernel_builder_registration_resolves_a_chat_client_with_kernel_function_invocation_and_a_chat_completion_service()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var kernel = Kernel.CreateBuilder()
            .AddResponsesWebSocketChatClient("gpt-5-mini", fixture.Server.ApiKey, fixture.Server.BaseUri)
            .Build();
        await using var services = (ServiceProvider)kernel.Services;

        var chatClient = kernel.GetRequiredService<IChatClient>();
        chatClient.GetService<ResponsesWebSocketChatClient>().Should().NotBeNull("the WebSocket client is at the bottom of the pipeline");
        chatClient.GetService<FunctionInvokingChatClient>().Should().NotBeNull("kernel function invocation is already in the pipeline");
        chatClient.GetService<ChatClientMetadata>()!.DefaultModelId.Should().Be("gpt-5-mini");
        var completion = kernel.GetRequiredService<IChatCompletionService>();

        var prompt = await kernel.InvokePromptAsync("Say hi").WaitAsync(Timeout);
        var history = new ChatHistory();
        history.AddUserMessage("Say ho");
        var reply = await completion.GetChatMessageContentAsync(history, kernel: kernel).WaitAsync(Timeout);

        prompt.ToString().Should().Be("You said: Say hi");
        reply.Content.Should().Be("You said: Say ho");
        chatClient.GetService<ResponsesWebSocketChatClient>()!.ConnectionsOpened.Should().Be(
            fixture.Server.HandshakeCount, "the prompt and the chat completion service share one client (two conversations, two sockets)");
        fixture.Server.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Json.Contains("\"model\":\"gpt-5-mini\""));
    }

    [Fact]
    public async Task A_service_id_registration_is_chosen_by_the_execution_settings()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var builder = Kernel.CreateBuilder();
        builder.AddResponsesWebSocketChatClient(
            options =>
            {
                options.Endpoint = fixture.Server.BaseUri;
                options.ApiKey = fixture.Server.ApiKey;
                options.Model = "gpt-5-a";
            },
            serviceId: "a");
        builder.AddResponsesWebSocketChatClient(
            new ResponsesWebSocketChatClientOptions { Endpoint = fixture.Server.BaseUri, ApiKey = fixture.Server.ApiKey, Model = "gpt-5-b" },
            serviceId: "b");
        var kernel = builder.Build();
        await using var services = (ServiceProvider)kernel.Services;

        var result = await kernel.InvokePromptAsync("Which model?", new KernelArguments(new PromptExecutionSettings { ServiceId = "b" })).WaitAsync(Timeout);

        result.ToString().Should().Be("You said: Which model?");
        fixture.Server.Requests.Should().ContainSingle().Which.Json.Should().Contain("\"model\":\"gpt-5-b\"");
        kernel.GetRequiredService<IChatClient>("a").GetService<ChatClientMetadata>()!.DefaultModelId.Should().Be("gpt-5-a");
        kernel.GetRequiredService<IChatCompletionService>("b").Should().NotBeNull();
        kernel.Services.GetService<IChatClient>().Should().BeNull("keyed registrations add no unkeyed client");
    }

    [Fact]
    public async Task A_service_collection_registration_serves_a_kernel_from_the_application_container()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var collection = new ServiceCollection();
        collection.AddKernel();
        collection.AddResponsesWebSocketChatClient("gpt-5-mini", fixture.Server.ApiKey, fixture.Server.BaseUri, serviceId: "ws");
        await using var services = collection.BuildServiceProvider();
        var kernel = services.GetRequiredService<Kernel>();

        var result = await kernel.InvokePromptAsync("From DI", new KernelArguments(new PromptExecutionSettings { ServiceId = "ws" })).WaitAsync(Timeout);

        result.ToString().Should().Be("You said: From DI");
        services.GetRequiredKeyedService<IChatCompletionService>("ws").Should().NotBeNull();
        fixture.Server.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_configuration_section_is_bound_to_the_client_options()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ResponsesWebSocket:Endpoint"] = fixture.Server.BaseUri.ToString(),
                ["ResponsesWebSocket:ApiKey"] = fixture.Server.ApiKey,
                ["ResponsesWebSocket:Model"] = "configured-model",
                ["ResponsesWebSocket:Store"] = "true",
                ["ResponsesWebSocket:MaxConnections"] = "2",
            })
            .Build();
        var kernel = Kernel.CreateBuilder()
            .AddResponsesWebSocketChatClient(configuration.GetSection("ResponsesWebSocket"))
            .Build();
        await using var services = (ServiceProvider)kernel.Services;

        var result = await kernel.InvokePromptAsync("Configured?").WaitAsync(Timeout);

        result.ToString().Should().Be("You said: Configured?");
        var request = fixture.Server.Requests.Should().ContainSingle().Subject;
        request.Json.Should().Contain("\"model\":\"configured-model\"");
        request.Store.Should().BeTrue();
    }

    [Fact]
    public void Invalid_arguments_fail_at_registration()
    {
        var builder = Kernel.CreateBuilder();

        builder.Invoking(b => b.AddResponsesWebSocketChatClient(" ", "key")).Should().Throw<ArgumentException>();
        builder.Invoking(b => b.AddResponsesWebSocketChatClient((ResponsesWebSocketChatClientOptions)null!)).Should().Throw<ArgumentNullException>();
        builder.Invoking(b => b.AddResponsesWebSocketChatClient((IConfiguration)null!)).Should().Throw<ArgumentNullException>();
    }
}
