using System.Text.Json.Serialization;

namespace ResponsesWebSocket.Protocol;

/// <summary>
/// Source-generated System.Text.Json metadata for the wire records, so that parsing needs no reflection
/// and the library stays trimming- and AOT-friendly.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(ResponseWire))]
[JsonSerializable(typeof(ErrorWire))]
[JsonSerializable(typeof(OutputItemWire))]
[JsonSerializable(typeof(ContentPartWire))]
[JsonSerializable(typeof(AnnotationWire))]
[JsonSerializable(typeof(UsageWire))]
[JsonSerializable(typeof(ErrorEnvelopeWire))]
internal sealed partial class ResponsesJsonContext : JsonSerializerContext;
