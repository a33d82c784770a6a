using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ResponsesWebSocket.Testing;

namespace SemanticKernelExample;

/// <summary>
/// A deterministic stand-in for a real model on the local server. It plays a librarian that plans from the user's words
/// and from the conversation so far (the server resolves the whole chained context), one step per model turn:
/// find_book for every title named, plus reserve_book when asked (for the title named, or the last one looked up), in
/// parallel; then an answer built only from the tool outputs.
/// </summary>
internal static partial class ScriptedLibrarian
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ScriptedReply Reply(ModelTurn turn)
    {
        var find = Declared(turn, LibraryPlugin.FindBook);
        var reserve = Declared(turn, LibraryPlugin.ReserveBook);
        var ask = turn.LastUserText ?? string.Empty;
        var outputs = OutputsSinceLastUserMessage(turn);
        if (outputs.Count > 0) return ScriptedReply.WithText(Answer(outputs));

        var titles = LibraryPlugin.Titles
            .Where(t => ask.Contains(t, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => ask.IndexOf(t, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var calls = new List<ScriptedFunctionCall>();
        if (find is not null) calls.AddRange(titles.Select(t => Call(find, new { title = t })));
        if (reserve is not null && ask.Contains("reserve", StringComparison.OrdinalIgnoreCase) && MemberNumber().Match(ask) is { Success: true } member)
        {
            // The title named in the sentence that asks to reserve; "reserve it": the last one looked up earlier.
            var sentence = ask.Split(['.', '?', '!']).First(s => s.Contains("reserve", StringComparison.OrdinalIgnoreCase));
            var title = titles.FirstOrDefault(t => sentence.Contains(t, StringComparison.OrdinalIgnoreCase)) ?? LastTitleLookedUp(turn);
            if (title is not null) calls.Add(Call(reserve, new { title, member = int.Parse(member.Value, CultureInfo.InvariantCulture) }));
        }

        return calls.Count > 0
            ? ScriptedReply.CallFunctions([.. calls])
            : ScriptedReply.WithText($"I can look up and reserve {string.Join(", ", LibraryPlugin.Titles)}. Which title?");
    }

    private static string Answer(List<(string Name, string Output)> outputs)
    {
        var text = new StringBuilder();
        foreach (var (name, output) in outputs)
        {
            if (name.EndsWith(LibraryPlugin.FindBook, StringComparison.Ordinal) && Parse<BookInfo>(output) is { } book)
            {
                text.Append(book.CopiesAvailable > 0
                    ? $"{book.Title} by {book.Author}: {book.CopiesAvailable} on the shelf at {book.Shelf}. "
                    : $"{book.Title} by {book.Author}: no copy on the shelf right now. ");
            }
            else if (name.EndsWith(LibraryPlugin.ReserveBook, StringComparison.Ordinal) && Parse<Reservation>(output) is { } r)
            {
                text.Append(CultureInfo.InvariantCulture, $"{r.Title} is reserved for member {r.Member}: pick it up by {r.PickUpBy} (confirmation {r.Confirmation}). ");
            }
        }

        return text.ToString().TrimEnd();
    }

    private static string? Declared(ModelTurn turn, string function) =>
        turn.Tools.Select(t => StringOf(t, "name")).FirstOrDefault(n => n.EndsWith(function, StringComparison.Ordinal));

    private static ScriptedFunctionCall Call(string name, object arguments) => new(name, JsonSerializer.Serialize(arguments));

    private static List<(string Name, string Output)> OutputsSinceLastUserMessage(ModelTurn turn)
    {
        var names = turn.Context.Where(i => StringOf(i, "type") == "function_call")
            .GroupBy(i => StringOf(i, "call_id"))
            .ToDictionary(g => g.Key, g => StringOf(g.Last(), "name"), StringComparer.Ordinal);
        return [.. turn.FunctionOutputsSinceLastUserMessage
            .Select(o => (Name: names.GetValueOrDefault(StringOf(o, "call_id")) ?? string.Empty, Output: StringOf(o, "output")))];
    }

    private static string? LastTitleLookedUp(ModelTurn turn)
    {
        var call = turn.Context.LastOrDefault(i => StringOf(i, "type") == "function_call" && StringOf(i, "name").EndsWith(LibraryPlugin.FindBook, StringComparison.Ordinal));
        if (call.ValueKind != JsonValueKind.Object) return null;
        using var arguments = JsonDocument.Parse(StringOf(call, "arguments"));
        return arguments.RootElement.TryGetProperty("title", out var title) ? title.GetString() : null;
    }

    private static T? Parse<T>(string json)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string StringOf(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? string.Empty
            : string.Empty;

    [GeneratedRegex(@"\b\d+\b")]
    private static partial Regex MemberNumber();
}
