namespace ResponsesWebSocket.Protocol;

/// <summary>Maps the <c>type</c> string of a server event to <see cref="ServerEventType"/> without allocating.</summary>
internal static class ServerEventTypes
{
    /// <summary>Recognises a type from its raw UTF-8 bytes; unknown types map to <see cref="ServerEventType.Unknown"/>.</summary>
    public static ServerEventType FromUtf8(ReadOnlySpan<byte> type)
    {
        // The deltas come first: they are most of the traffic.
        if (type.SequenceEqual("response.output_text.delta"u8)) return ServerEventType.OutputTextDelta;
        if (type.SequenceEqual("response.function_call_arguments.delta"u8)) return ServerEventType.FunctionCallArgumentsDelta;
        if (type.SequenceEqual("response.reasoning_summary_text.delta"u8)) return ServerEventType.ReasoningSummaryTextDelta;
        if (type.SequenceEqual("response.reasoning_text.delta"u8)) return ServerEventType.ReasoningTextDelta;
        if (type.SequenceEqual("response.refusal.delta"u8)) return ServerEventType.RefusalDelta;
        if (type.SequenceEqual("response.code_interpreter_call_code.delta"u8)) return ServerEventType.CodeInterpreterCallCodeDelta;
        if (type.SequenceEqual("response.output_item.added"u8)) return ServerEventType.OutputItemAdded;
        if (type.SequenceEqual("response.output_item.done"u8)) return ServerEventType.OutputItemDone;
        if (type.SequenceEqual("response.content_part.added"u8)) return ServerEventType.ContentPartAdded;
        if (type.SequenceEqual("response.content_part.done"u8)) return ServerEventType.ContentPartDone;
        if (type.SequenceEqual("response.output_text.done"u8)) return ServerEventType.OutputTextDone;
        if (type.SequenceEqual("response.output_text.annotation.added"u8)) return ServerEventType.OutputTextAnnotationAdded;
        if (type.SequenceEqual("response.refusal.done"u8)) return ServerEventType.RefusalDone;
        if (type.SequenceEqual("response.function_call_arguments.done"u8)) return ServerEventType.FunctionCallArgumentsDone;
        if (type.SequenceEqual("response.reasoning_summary_part.added"u8)) return ServerEventType.ReasoningSummaryPartAdded;
        if (type.SequenceEqual("response.reasoning_summary_part.done"u8)) return ServerEventType.ReasoningSummaryPartDone;
        if (type.SequenceEqual("response.reasoning_summary_text.done"u8)) return ServerEventType.ReasoningSummaryTextDone;
        if (type.SequenceEqual("response.reasoning_text.done"u8)) return ServerEventType.ReasoningTextDone;
        if (type.SequenceEqual("response.web_search_call.in_progress"u8)) return ServerEventType.WebSearchCallInProgress;
        if (type.SequenceEqual("response.image_generation_call.in_progress"u8)) return ServerEventType.ImageGenerationCallInProgress;
        if (type.SequenceEqual("response.image_generation_call.partial_image"u8)) return ServerEventType.ImageGenerationCallPartialImage;
        if (type.SequenceEqual("response.created"u8)) return ServerEventType.ResponseCreated;
        if (type.SequenceEqual("response.in_progress"u8)) return ServerEventType.ResponseInProgress;
        if (type.SequenceEqual("response.queued"u8)) return ServerEventType.ResponseQueued;
        if (type.SequenceEqual("response.completed"u8)) return ServerEventType.ResponseCompleted;
        if (type.SequenceEqual("response.incomplete"u8)) return ServerEventType.ResponseIncomplete;
        if (type.SequenceEqual("response.failed"u8)) return ServerEventType.ResponseFailed;
        if (type.SequenceEqual("response.cancelled"u8)) return ServerEventType.ResponseCancelled;
        if (type.SequenceEqual("response.done"u8)) return ServerEventType.ResponseDone;
        if (type.SequenceEqual("error"u8)) return ServerEventType.Error;
        return ServerEventType.Unknown;
    }
}
