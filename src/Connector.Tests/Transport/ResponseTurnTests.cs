using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Tests.Support;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Transport;

/// <summary>The idle watchdog of one response: armed while events are awaited, never after the response ended.</summary>
public class ResponseTurnTests
{
    [Fact]
    public void A_response_that_ended_before_its_watchdog_was_armed_arms_none()
    {
        var clock = new ManualTimeProvider();
        var turn = new ResponseTurn();
        var expired = false;

        // The whole response arrived while the frame's send was still completing.
        turn.Write(new ServerEvent { Type = ServerEventType.ResponseCompleted });
        turn.WatchIdle(clock, TimeSpan.FromMinutes(5), () => expired = true);
        clock.Advance(TimeSpan.FromHours(1));

        clock.ArmedTimerCount.Should().Be(0);
        expired.Should().BeFalse("a finished response must never abort its healthy socket");
    }

    [Fact]
    public void The_watchdog_stops_at_the_terminal_event_and_fires_only_after_real_silence()
    {
        var clock = new ManualTimeProvider();
        var turn = new ResponseTurn();
        var expired = 0;
        turn.WatchIdle(clock, TimeSpan.FromMinutes(5), () => expired++);

        clock.Advance(TimeSpan.FromMinutes(3));
        turn.Write(new ServerEvent { Type = ServerEventType.OutputTextDelta, Delta = "a" });
        clock.Advance(TimeSpan.FromMinutes(3));
        expired.Should().Be(0, "an event three minutes in restarts the five silent minutes");

        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        expired.Should().Be(1);

        var finished = new ResponseTurn();
        finished.WatchIdle(clock, TimeSpan.FromMinutes(5), () => expired++);
        finished.Write(new ServerEvent { Type = ServerEventType.ResponseCompleted });
        clock.Advance(TimeSpan.FromHours(1));
        expired.Should().Be(1);
        clock.ArmedTimerCount.Should().Be(0);
    }
}
