using System.Globalization;
using System.Net.Http.Headers;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// Reads how long a server asked us to wait before trying again, from a refused upgrade or a failed HTTP request.
/// </summary>
/// <remarks>
/// Two headers are understood. <c>Retry-After</c> (RFC 9110 §10.2.3) holds whole seconds or an HTTP date, the date being
/// turned into a delay against the given clock. <c>retry-after-ms</c>, which OpenAI-style services send beside it and
/// the official Python and Node SDKs prefer, holds milliseconds; it wins when it parses, being the more precise of the two.
/// Anything unparseable counts as absent: the caller then falls back to its own backoff.
/// </remarks>
internal static class RetryAfterHeader
{
    /// <summary>
    /// The longest delay reported. A server asking for more (or a clock far off, for a date) is treated as asking for
    /// this much: no retry budget waits that long anyway, and a bounded value cannot overflow a timer or keep a caller
    /// that honours it blocked for hours on one bad header.
    /// </summary>
    public static readonly TimeSpan Cap = TimeSpan.FromMinutes(10);

    private const string MillisecondsHeader = "retry-after-ms";

    /// <summary>Returns the delay the response's headers ask for, or <see langword="null"/> when they ask for none (or garble it).</summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="time">The clock an HTTP date is measured against.</param>
    public static TimeSpan? Parse(HttpResponseHeaders headers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.TryGetValues(MillisecondsHeader, out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
            && double.IsFinite(milliseconds))
        {
            // Compared before converting: TimeSpan.FromMilliseconds throws for values far beyond the cap.
            return milliseconds >= Cap.TotalMilliseconds ? Cap : Clamp(TimeSpan.FromMilliseconds(milliseconds));
        }

        // The typed property parses on demand and yields null for a value that is not seconds or an HTTP date.
        return Parse(headers.RetryAfter, time);
    }

    /// <summary>Returns the delay a parsed <c>Retry-After</c> asks for, or <see langword="null"/> when there is none.</summary>
    /// <param name="value">The parsed header, if any.</param>
    /// <param name="time">The clock an HTTP date is measured against.</param>
    public static TimeSpan? Parse(RetryConditionHeaderValue? value, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return value switch
        {
            { Delta: { } delta } => Clamp(delta),

            // A date already past (clock skew, a slow proxy) means "now", not "never".
            { Date: { } date } => Clamp(date - time.GetUtcNow()),
            _ => null,
        };
    }

    private static TimeSpan Clamp(TimeSpan delay) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay > Cap ? Cap : delay;
}
