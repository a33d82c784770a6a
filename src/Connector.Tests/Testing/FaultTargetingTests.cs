using System.Net;
using System.Net.WebSockets;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;
using static ResponsesWebSocket.Tests.Testing.WireClient;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>Targeted faults (<see cref="FaultPlan.When"/>) hit exactly the request they name, whichever session gets to the plan first.</summary>
public sealed class FaultTargetingTests
{
    [Fact]
    public async Task A_fault_targeted_by_content_lets_earlier_requests_pass_and_waits_for_its_own()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.When(r => r.LastUserText == "second").FailNextResponse("server_error", "only the second");
        using var one = await ConnectAsync(server);
        using var two = await ConnectAsync(server);

        await SendAsync(one, Create("""{"store":false,"input":"first"}"""));
        FinalText(await ReadResponseAsync(one)).Should().Be("You said: first");
        server.Faults.PendingCount.Should().Be(1, "the first request did not match");

        await SendAsync(two, Create("""{"store":false,"input":"second"}"""));
        var failed = (await ReadResponseAsync(two))[^1];
        Type(failed).Should().Be("response.failed");
        failed.GetProperty("response").GetProperty("error").GetProperty("message").GetString().Should().Be("only the second");
        server.Faults.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task A_targeted_pause_holds_only_its_response_when_both_arrive_together()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Faults.When(r => r.LastUserText == "held").PauseAfterEvents(2, release.Task);
        using var held = await ConnectAsync(server);
        using var free = await ConnectAsync(server);

        // Sent back to back: either session may reach the fault plan first; the free one must never be paused.
        await Task.WhenAll(
            SendAsync(free, Create("""{"store":false,"input":"free"}""")),
            SendAsync(held, Create("""{"store":false,"input":"held"}"""))).Bounded();
        FinalText(await ReadResponseAsync(free)).Should().Be("You said: free");
        Type(await ReceiveAsync(held)).Should().Be("response.created");
        Type(await ReceiveAsync(held)).Should().Be("response.in_progress");
        var rest = ReadResponseAsync(held);
        rest.IsCompleted.Should().BeFalse("the targeted response is held at the gate");

        release.SetResult();
        FinalText(await rest).Should().Be("You said: held");
    }

    [Fact]
    public async Task Faults_target_a_connection_or_an_order_of_receipt()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var one = await ConnectAsync(server);
        using var two = await ConnectAsync(server);
        server.Faults.When(r => r.ConnectionId == 2).DropConnectionAfterEvents(1);
        server.Faults.When(r => r.Sequence == 2).ErrorOnNextCreate("rate_limit_exceeded", "second request", status: 429);

        await SendAsync(one, Create("""{"store":false,"input":"a"}"""));
        FinalText(await ReadResponseAsync(one)).Should().Be("You said: a");
        await SendAsync(one, Create("""{"store":false,"input":"b"}"""));
        ErrorOf(await ReceiveAsync(one)).GetProperty("message").GetString().Should().Be("second request");

        await SendAsync(two, Create("""{"store":false,"input":"c"}"""));
        Type(await ReceiveAsync(two)).Should().Be("response.created");
        var dropped = () => ReceiveMessageAsync(two);
        await dropped.Should().ThrowAsync<WebSocketException>();
        server.Requests.Select(r => r.Sequence).Should().Equal(1, 2, 3);
        server.Faults.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task Targets_narrow_and_apply_over_http_too()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var overHttp = server.Faults.When(r => r.Transport == "http");
        overHttp.When(r => r.LastUserText == "boom").ErrorOnNextCreate(null, "targeted", status: 400);

        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create("""{"store":false,"input":"boom"}""")); // right text, wrong transport
        FinalText(await ReadResponseAsync(socket)).Should().Be("You said: boom");
        (await PostAsync(server, """{"store":false,"input":"calm"}""")).Status.Should().Be(HttpStatusCode.OK);

        var (status, body) = await PostAsync(server, """{"store":false,"input":"boom"}""");
        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetProperty("message").GetString().Should().Be("targeted");
        server.Faults.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task Untargeted_faults_still_take_the_next_response_and_handshakes_cannot_be_targeted()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.FailNextResponse("server_error", "whoever comes first");
        var handshake = () => server.Faults.When(_ => true).RejectNextHandshake(401);
        handshake.Should().Throw<InvalidOperationException>();

        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create("""{"store":false,"input":"anything"}"""));
        Type((await ReadResponseAsync(socket))[^1]).Should().Be("response.failed");
        server.Faults.PendingCount.Should().Be(0);
        server.Requests[0].LastUserText.Should().Be("anything");
    }
}
