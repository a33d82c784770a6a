using ResponsesWebSocket.Turns;

namespace ResponsesWebSocket.Tests.Turns;

/// <summary><see cref="TurnRecovery.Decide"/>: every replay rule as a row of one table.</summary>
public class TurnRecoveryTableTests
{
    public enum Failure { SocketClosed, ConnectionLimit, ChainLost, IncludeRejected, RateLimited, InvalidRequest, Timeout, Unauthorized, ModelFailed }

    [Theory]
    // failure,                  resent, surfaced, events, transcript, drop include → action
    [InlineData(Failure.SocketClosed, false, false, false, true, false, nameof(RecoveryAction.ResendOnNewChannel))]
    [InlineData(Failure.SocketClosed, false, false, false, false, false, nameof(RecoveryAction.ResendOnNewChannel))]
    [InlineData(Failure.SocketClosed, true, false, false, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.SocketClosed, false, false, true, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.SocketClosed, false, true, true, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.ConnectionLimit, false, false, false, true, false, nameof(RecoveryAction.ResendOnNewChannel))]
    [InlineData(Failure.ConnectionLimit, false, false, true, false, false, nameof(RecoveryAction.ResendOnNewChannel))]
    [InlineData(Failure.ConnectionLimit, true, false, false, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.ConnectionLimit, false, true, true, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.ChainLost, false, false, false, true, false, nameof(RecoveryAction.ResendFull))]
    [InlineData(Failure.ChainLost, false, false, false, false, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.ChainLost, true, false, false, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.IncludeRejected, false, false, false, true, true, nameof(RecoveryAction.ResendWithoutEncryptedReasoning))]
    [InlineData(Failure.IncludeRejected, true, false, false, true, true, nameof(RecoveryAction.ResendWithoutEncryptedReasoning))]
    [InlineData(Failure.IncludeRejected, false, false, false, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.IncludeRejected, false, true, true, true, true, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.RateLimited, false, false, false, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.InvalidRequest, false, false, false, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.Timeout, false, false, true, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.Timeout, false, false, false, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.Unauthorized, false, false, false, true, false, nameof(RecoveryAction.Surface))]
    [InlineData(Failure.ModelFailed, false, false, true, true, false, nameof(RecoveryAction.Surface))]
    public void Decides_what_a_failed_attempt_does(Failure kind, bool resent, bool surfaced, bool events, bool transcript, bool canDropInclude, string expected)
    {
        var failure = new TurnFailure(Error(kind), resent, surfaced, events, transcript, canDropInclude);

        TurnRecovery.Decide(failure).ToString().Should().Be(expected);
    }

    private static ResponsesException Error(Failure kind) => kind switch
    {
        Failure.SocketClosed => new(ResponsesErrorKind.ConnectionClosed, "closed"),
        Failure.ConnectionLimit => new(ResponsesErrorKind.ServiceError, "limit", "websocket_connection_limit_reached", 400),
        Failure.ChainLost => new(ResponsesErrorKind.ServiceError, "not found", "previous_response_not_found", 400),
        Failure.IncludeRejected => new(ResponsesErrorKind.ServiceError, "Encrypted content is not supported with this model.", statusCode: 400) { Param = "include" },
        Failure.RateLimited => new(ResponsesErrorKind.ServiceError, "slow down", "rate_limit_exceeded", 429),
        Failure.InvalidRequest => new(ResponsesErrorKind.ServiceError, "bad", "invalid_value", 400),
        Failure.Timeout => new(ResponsesErrorKind.ResponseTimeout, "silent"),
        Failure.Unauthorized => new(ResponsesErrorKind.ServiceError, "key", "invalid_api_key", 401),
        _ => new(ResponsesErrorKind.ResponseFailed, "model failed", "server_error"),
    };
}
