using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Examples;

/// <summary>Prints what a person watching an agent wants to see of each streamed update: tool calls, their results, text.</summary>
internal static class ContentPrinter
{
    public static void Print(IEnumerable<AIContent> contents)
    {
        foreach (var content in contents)
        {
            switch (content)
            {
                case FunctionCallContent call:
                    Console.WriteLine($"  [tool call] {call.Name}({JsonSerializer.Serialize(call.Arguments)})");
                    break;
                case FunctionResultContent result:
                    Console.WriteLine($"  [tool result] {result.Result}");
                    break;
                case TextContent text:
                    Console.Write(text.Text);
                    break;
            }
        }
    }
}
