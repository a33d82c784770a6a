namespace ResponsesWebSocket.Tests.Support;

/// <summary>
/// The recorded Responses streams in the shared reference folder beside the repository (<c>../shared/recordings</c>),
/// read in place and never copied in. A fresh clone has no such folder: tests that need it are then reported as
/// skipped with <see cref="SkipReason"/> (see <see cref="RecordingFactAttribute"/>), never failed.
/// </summary>
internal static class SharedRecordings
{
    private static readonly string? RepositoryRoot = FindRepositoryRoot();

    /// <summary>Where the folder is expected (for messages), or <see langword="null"/> when the repository root is unknown.</summary>
    public static string? ExpectedFolder { get; } = RepositoryRoot is null ? null : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "recordings"));

    public static bool Available => ExpectedFolder is not null && Directory.Exists(ExpectedFolder);

    /// <summary>Why recording tests are skipped, or <see langword="null"/> when they can run.</summary>
    public static string? SkipReason => Available
        ? null
        : $"The shared recordings folder is not beside this checkout (expected {ExpectedFolder ?? "../shared/recordings"}); recorded-stream tests need it.";

    public static string PathOf(string relativePath) =>
        Path.Combine(ExpectedFolder ?? throw new InvalidOperationException(SkipReason), relativePath);

    /// <summary>The non-empty lines of a <c>*.chunks.txt</c> file: one event each.</summary>
    public static IReadOnlyList<string> ChunkLines(string relativePath) =>
        [.. File.ReadAllLines(PathOf(relativePath)).Where(line => line.Length > 0)];

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Connectors.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
