using System.Text.Json;
using Trm.IO;

namespace Trm.Puzzles.Sudoku;

/// <summary>
/// Sudoku as a puzzle kind: one puzzle typed as its cells (<see cref="SudokuText"/>), or a file of them, one a line or a
/// CSV in the Sudoku-Extreme layout (<see cref="SudokuCsv"/>, told by its header), whose answers become the expected ones.
/// </summary>
public sealed class SudokuKind : IPuzzleKind
{
    public const string Name = "sudoku";
    public static readonly SudokuKind Instance = new();

    /// <summary>Longest line of a file of puzzles read: far more than the 81 cells of a 9x9 grid with separators.</summary>
    public const int MaxLineChars = 1 << 16;

    SudokuKind() { }

    string IPuzzleKind.Name => Name;

    /// <summary>Errors read "<paramref name="source"/>: what is wrong".</summary>
    public IPuzzle Parse(string text, string source, IReadOnlyList<string>? identifiers = null) => Question(text, source);

    public IReadOnlyList<IPuzzle> ReadFile(string path, IReadOnlyList<string>? identifiers = null) => Questions(path);

    public SolveRecord ReadRecord(JsonElement root, string source) => SudokuSolveRecord.Read(root, source);

    /// <inheritdoc cref="Parse"/>
    public static SudokuQuestion Question(string text, string source)
    {
        try
        {
            return new SudokuQuestion(source, SudokuText.Parse(text));
        }
        catch (TrmException e)
        {
            throw new TrmException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>The puzzles of a file, labelled <c>path:line</c>; a CSV's answers become <see cref="SudokuQuestion.Expected"/>.</summary>
    public static IReadOnlyList<SudokuQuestion> Questions(string path)
    {
        if (CsvFile.HasHeader(path, SudokuCsv.Header))
            return SudokuCsv.Read(path).Select((p, i) => new SudokuQuestion($"{path}:{i + 2}", p.Question, p.Answer)).ToList();
        return UserFile.ReadLines(path, MaxLineChars, "a file of Sudoku puzzles, one a line").Select((line, i) => (Line: line, Number: i + 1)).Where(l => l.Line.Trim().Length > 0)
            .Select(l => Question(l.Line, $"{path}:{l.Number}")).ToList();
    }
}
