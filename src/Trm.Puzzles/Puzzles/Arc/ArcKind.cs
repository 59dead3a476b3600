using System.Text.Json;

namespace Trm.Puzzles.Arc;

/// <summary>
/// ARC tasks as a puzzle kind. A task is solved by a model that knows it, through the puzzle-embedding rows of its copies,
/// so reading one needs the model's <c>identifiers</c> (its dataset's <c>identifiers.json</c>); a task none of them names
/// has no requests (it must be learned first: test-time training).
/// </summary>
public sealed class ArcKind : IPuzzleKind
{
    public const string Name = "arc";
    public static readonly ArcKind Instance = new();

    ArcKind() { }

    string IPuzzleKind.Name => Name;

    /// <summary>A task object <c>{"train": [...], "test": [...]}</c> named <paramref name="source"/> (its task id).</summary>
    public IPuzzle Parse(string text, string source, IReadOnlyList<string>? identifiers = null) => Known(ArcPuzzleReader.ParseTask(text, source), identifiers);

    /// <summary>A task file named after its task, or a challenges file holding one task (<see cref="ArcPuzzleReader.ReadTask"/>).</summary>
    public IReadOnlyList<IPuzzle> ReadFile(string path, IReadOnlyList<string>? identifiers = null) => [Known(ArcPuzzleReader.ReadTask(path), identifiers)];

    public SolveRecord ReadRecord(JsonElement root, string source) => ArcSolveRecord.Read(root, source);

    static ArcTaskPuzzle Known(ArcTask task, IReadOnlyList<string>? identifiers) =>
        new(task, ArcCopy.Among(identifiers ?? throw new ArgumentNullException(nameof(identifiers), "an ARC task is solved through the copies a model knows"), task.Id));
}
