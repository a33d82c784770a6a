namespace ResponsesWebSocket.Protocol;

/// <summary>The server event types the client acts on. Everything else is <see cref="Unknown"/> and tolerated.</summary>
internal enum ServerEventType
{
    /// <summary>An event type the client does not know; skipped, never fatal.</summary>
    Unknown,
    ResponseCreated,
    ResponseInProgress,
    ResponseQueued,
    OutputItemAdded,
    OutputItemDone,
    ContentPartAdded,
    ContentPartDone,
    OutputTextDelta,
    OutputTextDone,
    OutputTextAnnotationAdded,
    RefusalDelta,
    RefusalDone,
    FunctionCallArgumentsDelta,
    FunctionCallArgumentsDone,
    ReasoningSummaryPartAdded,
    ReasoningSummaryPartDone,
    ReasoningSummaryTextDelta,
    ReasoningSummaryTextDone,
    ReasoningTextDelta,
    ReasoningTextDone,

    /// <summary><c>response.web_search_call.in_progress</c>: a hosted web search started.</summary>
    WebSearchCallInProgress,

    /// <summary><c>response.code_interpreter_call_code.delta</c>: a piece of the code the code interpreter will run.</summary>
    CodeInterpreterCallCodeDelta,

    /// <summary><c>response.image_generation_call.in_progress</c>: a hosted image generation started.</summary>
    ImageGenerationCallInProgress,

    /// <summary><c>response.image_generation_call.partial_image</c>: a preview of the image being generated.</summary>
    ImageGenerationCallPartialImage,

    /// <summary><c>response.completed</c>: terminal, success.</summary>
    ResponseCompleted,

    /// <summary><c>response.incomplete</c>: terminal, ended early; output so far is valid.</summary>
    ResponseIncomplete,

    /// <summary><c>response.failed</c>: terminal, model-side failure.</summary>
    ResponseFailed,

    /// <summary><c>response.cancelled</c>: terminal.</summary>
    ResponseCancelled,

    /// <summary><c>response.done</c>: terminal on some WebSocket deployments.</summary>
    ResponseDone,

    /// <summary><c>error</c>: terminal, request-level error.</summary>
    Error,
}
