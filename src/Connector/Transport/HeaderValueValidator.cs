namespace ResponsesWebSocket.Transport;

/// <summary>Checks values the client sends as upgrade headers (key, organization, project) at construction.</summary>
/// <remarks>
/// A CR/LF or another control character in a header value is a pasted-in mistake at best and a header injection attempt
/// at worst. The HTTP stack would refuse it on every call with a raw <see cref="ArgumentException"/>; refusing it once, at
/// construction, with the option's name (never its value: it may be a secret) is clearer.
/// </remarks>
internal static class HeaderValueValidator
{
    /// <summary>Throws when <paramref name="value"/> holds anything but printable ASCII.</summary>
    /// <exception cref="ArgumentException">The value has a control or non-ASCII character.</exception>
    public static void EnsureValid(string? value, string optionName)
    {
        if (Problem(value, optionName) is { } problem) throw new ArgumentException(problem);
    }

    /// <summary>Describes what is wrong with <paramref name="value"/>, or returns <see langword="null"/> when it is valid.</summary>
    public static string? Problem(string? value, string optionName)
    {
        if (value is null) return null;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is < '\x20' or > '\x7E')
            {
                return
                    $"{optionName} contains a control or non-ASCII character at index {i}; header values must be printable ASCII (check for a stray line break).";
            }
        }

        return null;
    }
}
