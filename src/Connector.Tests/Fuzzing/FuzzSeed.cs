namespace ResponsesWebSocket.Tests.Fuzzing;

/// <summary>One well-formed response stream the fuzzer mutates: where it came from, and its frames in order.</summary>
internal sealed record FuzzSeed(string Name, IReadOnlyList<byte[]> Frames);
