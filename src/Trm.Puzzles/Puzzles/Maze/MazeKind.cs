using System.Text.Json;
using Trm.IO;

namespace Trm.Puzzles.Maze;

/// <summary>
/// Mazes as a puzzle kind: one maze drawn as text (<see cref="MazeText"/>), from a string or a file, or a CSV in the
/// Maze-Hard layout (<see cref="MazeCsv"/>, told by its header).
/// </summary>
public sealed class MazeKind : IPuzzleKind
{
    public const string Name = "maze";
    public static readonly MazeKind Instance = new();

    MazeKind() { }

    string IPuzzleKind.Name => Name;

    public IPuzzle Parse(string text, string source, IReadOnlyList<string>? identifiers = null) => new MazeQuestion(source, MazeText.Parse(text, source));

    public IReadOnlyList<IPuzzle> ReadFile(string path, IReadOnlyList<string>? identifiers = null) => Questions(path);

    public SolveRecord ReadRecord(JsonElement root, string source) => MazeSolveRecord.Read(root, source);

    /// <summary>The mazes of a file: one maze as text, or a Maze-Hard CSV's questions labelled <c>path:line</c>.</summary>
    public static IReadOnlyList<MazeQuestion> Questions(string path)
    {
        if (UserFile.IsMissing(path)) throw new TrmException($"{path} not found; give a maze as a text file (one row per line, '{MazeGrid.Charset}').");
        return CsvFile.HasHeader(path, MazeCsv.Header)
            ? MazeCsv.Read(path).Select((m, i) => new MazeQuestion($"{path}:{i + 2}", m.Question)).ToList()
            : [new MazeQuestion(path, MazeText.Parse(MazeText.ReadFile(path), path))];
    }
}
