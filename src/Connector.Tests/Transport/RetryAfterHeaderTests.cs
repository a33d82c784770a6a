using System.Globalization;
using System.Net;
using ResponsesWebSocket.Tests.Support;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Transport;

/// <summary>Reading a server's Retry-After (seconds, HTTP date, retry-after-ms) into a bounded, non-negative delay.</summary>
public class RetryAfterHeaderTests
{
    private static readonly ManualTimeProvider Time = new();

    private static TimeSpan? Parse(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return RetryAfterHeader.Parse(response.Headers, Time);
    }

    private static string HttpDate(TimeSpan fromNow) => (Time.GetUtcNow() + fromNow).ToString("r", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("5", 5)]
    [InlineData("120", 120)]
    public void Delta_seconds_are_read(string value, int seconds) =>
        Parse(("Retry-After", value)).Should().Be(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void An_http_date_is_read_against_the_given_clock()
    {
        Parse(("Retry-After", HttpDate(TimeSpan.FromSeconds(30)))).Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_date_already_past_means_now()
    {
        Parse(("Retry-After", HttpDate(TimeSpan.FromMinutes(-5)))).Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("Retry-After", "soon")]
    [InlineData("Retry-After", "-5")]
    [InlineData("Retry-After", "1.5")]
    [InlineData("Retry-After", "")]
    [InlineData("retry-after-ms", "NaN")]
    [InlineData("retry-after-ms", "Infinity")]
    [InlineData("retry-after-ms", "later")]
    public void Garbage_counts_as_no_header(string name, string value) =>
        Parse((name, value)).Should().BeNull();

    [Fact]
    public void No_header_is_no_delay() => Parse().Should().BeNull();

    [Theory]
    [InlineData("Retry-After", "86400")]
    [InlineData("Retry-After", "2147483647")]
    [InlineData("retry-after-ms", "1e300")]
    public void Absurd_delays_are_capped_at_ten_minutes(string name, string value) =>
        Parse((name, value)).Should().Be(TimeSpan.FromMinutes(10));

    [Fact]
    public void A_far_future_date_is_capped_too() =>
        Parse(("Retry-After", HttpDate(TimeSpan.FromDays(365)))).Should().Be(TimeSpan.FromMinutes(10));

    [Fact]
    public void Milliseconds_win_over_seconds_and_negative_means_now()
    {
        Parse(("retry-after-ms", "1500"), ("Retry-After", "2")).Should().Be(TimeSpan.FromMilliseconds(1500));
        Parse(("retry-after-ms", "12.5")).Should().Be(TimeSpan.FromMilliseconds(12.5));
        Parse(("retry-after-ms", "-100")).Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Unparseable_milliseconds_fall_back_to_seconds() =>
        Parse(("retry-after-ms", "soon"), ("Retry-After", "3")).Should().Be(TimeSpan.FromSeconds(3));

    [Fact]
    public async Task The_handshake_capture_keeps_a_refused_upgrade_retry_after_and_nothing_for_a_success()
    {
        // The capture handler maps one HTTP answer into fields; the canned inner handler stands in for the socket handler.
        var refusedCapture = new HandshakeCaptureHandler(new CannedHandler(HttpStatusCode.ServiceUnavailable, HttpDate(TimeSpan.FromSeconds(7)))) { Time = Time };
        using var refused = new HttpMessageInvoker(refusedCapture);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/v1/responses");
        using (await refused.SendAsync(request, CancellationToken.None).Bounded())
        {
        }

        refusedCapture.RejectedStatus.Should().Be(HttpStatusCode.ServiceUnavailable);
        refusedCapture.RejectedRetryAfter.Should().Be(TimeSpan.FromSeconds(7), "an HTTP date is measured on the handler's clock");

        var accepted = new HandshakeCaptureHandler(new CannedHandler(HttpStatusCode.SwitchingProtocols, "7"));
        using var invoker = new HttpMessageInvoker(accepted);
        using var second = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/v1/responses");
        using (await invoker.SendAsync(second, CancellationToken.None).Bounded())
        {
        }

        accepted.RejectedRetryAfter.Should().BeNull();
    }

    private sealed class CannedHandler(HttpStatusCode status, string retryAfter) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent("{\"error\":{\"message\":\"busy\"}}") };
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            return Task.FromResult(response);
        }
    }
}
