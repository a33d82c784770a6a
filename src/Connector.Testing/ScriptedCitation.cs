namespace ResponsesWebSocket.Testing;

/// <summary>A <c>url_citation</c> annotation attached to the scripted message text.</summary>
/// <param name="Url">The cited URL.</param>
/// <param name="Title">The title of the cited page.</param>
/// <param name="Start">The start index of the cited span in the text.</param>
/// <param name="End">The end index of the cited span in the text.</param>
public sealed record ScriptedCitation(string Url, string Title, int Start, int End);
