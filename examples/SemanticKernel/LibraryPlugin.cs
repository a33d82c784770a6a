using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace SemanticKernelExample;

/// <summary>What <c>find_book</c> returns.</summary>
internal sealed record BookInfo(string Title, string Author, int CopiesAvailable, string Shelf);

/// <summary>What <c>reserve_book</c> returns.</summary>
internal sealed record Reservation(string Title, int Member, string PickUpBy, string Confirmation);

/// <summary>A kernel plugin: plain C# methods the model may call. The catalogue is fake but deterministic.</summary>
internal sealed class LibraryPlugin
{
    public const string Name = "library";
    public const string FindBook = "find_book";
    public const string ReserveBook = "reserve_book";

    private static readonly Dictionary<string, (string Author, int Copies, string Shelf)> Catalogue = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Dune"] = ("Frank Herbert", 2, "SF-HER-3"),
        ["Emma"] = ("Jane Austen", 0, "FIC-AUS-1"),
        ["Middlemarch"] = ("George Eliot", 1, "FIC-ELI-2"),
        ["Neuromancer"] = ("William Gibson", 3, "SF-GIB-1"),
    };

    /// <summary>The titles the catalogue holds, in a stable order.</summary>
    public static IReadOnlyList<string> Titles { get; } = [.. Catalogue.Keys];

    [KernelFunction(FindBook)]
    [Description("Looks a book up in the catalogue by title: author, copies available now, and shelf.")]
    public static BookInfo Find([Description("The book's title")] string title) =>
        Catalogue.TryGetValue(title.Trim(), out var book)
            ? new BookInfo(title.Trim(), book.Author, book.Copies, book.Shelf)
            : new BookInfo(title.Trim(), "unknown", 0, "not in the catalogue");

    [KernelFunction(ReserveBook)]
    [Description("Reserves a book for a library member; returns the pick-up deadline and a confirmation code.")]
    public static Reservation Reserve([Description("The book's title")] string title, [Description("The member number")] int member) =>
        new(title.Trim(), member, "Friday 18:00", $"R-{member}-{title.Trim().Length:00}{char.ToUpperInvariant(title.Trim()[0])}");
}
