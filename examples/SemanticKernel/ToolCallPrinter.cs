using System.Text.Json;
using Microsoft.SemanticKernel;

namespace SemanticKernelExample;

/// <summary>
/// An auto-function-invocation filter (Semantic Kernel's own hook, run by its function-invocation loop): prints each
/// tool call as it happens, with its arguments and result.
/// </summary>
internal sealed class ToolCallPrinter(Func<bool> atLineStart, Action lineEnded) : IAutoFunctionInvocationFilter
{
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        await next(context);
        var arguments = string.Join(", ", (context.Arguments ?? []).Select(a => $"{a.Key}: {JsonSerializer.Serialize(a.Value, Compact)}"));
        var result = JsonSerializer.Serialize(context.Result.GetValue<object>(), Compact);
        Console.WriteLine($"{(atLineStart() ? "" : Environment.NewLine)}  [tool, model turn {context.RequestSequenceIndex + 1}] {context.Function.Name}({arguments}) -> {result}");
        lineEnded();
    }
}
