using System.Text.Json;

namespace Trm.Puzzles;

/// <summary>
/// A kind of puzzle people bring to a model (Sudoku, maze, ARC task): it names itself, reads what people type or download
/// into <see cref="IPuzzle"/>s, and reads its own solve records back. Registered in <c>Trm.Solving.PuzzleKinds</c>;
/// docs/ARCHITECTURE.md says how to add one.
/// </summary>
public interface IPuzzleKind
{
    /// <summary>The kind's name: a solve record's <c>"kind"</c> and the word <c>trm solve</c> takes (<c>sudoku</c>).</summary>
    string Name { get; }

    /// <summary>One puzzle as text (what <c>trm solve</c> takes on its command line, or a web form); errors name <paramref name="source"/>.</summary>
    /// <param name="identifiers">The names of the model's puzzle-embedding rows (its dataset's <c>identifiers.json</c>), which kinds
    /// that use more than row 0 (ARC) need; null for the others.</param>
    IPuzzle Parse(string text, string source, IReadOnlyList<string>? identifiers = null);

    /// <summary>Every puzzle of a file (one puzzle, one a line, or the benchmark's CSV layout), errors naming the file and line.</summary>
    /// <inheritdoc cref="Parse" path="/param[@name='identifiers']"/>
    IReadOnlyList<IPuzzle> ReadFile(string path, IReadOnlyList<string>? identifiers = null);

    /// <summary>A solve record of this kind (its JSON object, <c>"kind"</c> already read), every field checked; errors name <paramref name="source"/> and the field.</summary>
    SolveRecord ReadRecord(JsonElement root, string source);
}
