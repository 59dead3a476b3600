using System.Globalization;
using System.Text;
using Trm.IO;

namespace Trm.Puzzles.Sudoku;

/// <summary>
/// Sudoku-Extreme's CSV layout: the header <c>source,question,answer,rating</c>, then one puzzle a line.
/// Questions use <c>.</c> or <c>0</c> for blanks and digits 1..Size; answers are complete. Every grid
/// has Size*Size characters (16, 36 or 81), the size taken from the first row; the rating is an integer.
/// </summary>
public static class SudokuCsv
{
    public const string Header = "source,question,answer,rating";

    /// <summary>
    /// Streams the puzzles of <paramref name="path"/> (Sudoku-Extreme's train.csv has 3.8 million lines),
    /// checking each line as it goes. Whether answers solve their questions is not checked.
    /// </summary>
    /// <exception cref="TrmException">Naming the file, line and reason for the first bad line.</exception>
    public static IEnumerable<SudokuPuzzle> Read(string path)
    {
        if (!File.Exists(path)) throw new TrmException($"{path} not found; expected a CSV with the header {Header}.");
        return ReadLines(path);
    }

    static IEnumerable<SudokuPuzzle> ReadLines(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = reader.ReadLine();
        if (header != Header)
            throw new TrmException($"{path}:1: the header is '{header}', expected '{Header}' (the Sudoku-Extreme layout).");
        SudokuGeometry? geometry = null;
        int lineNumber = 1;
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fail = (string reason) => new TrmException($"{path}:{lineNumber}: {reason}.");
            var fields = line.Split(',');
            if (fields.Length != 4) throw fail($"expected 4 fields ({Header}), found {fields.Length}");
            var (source, question, answer, rating) = (fields[0], fields[1], fields[2], fields[3]);
            geometry ??= SudokuGeometry.ForCellCount(question.Length)
                ?? throw fail($"the question has {question.Length} characters; a 4x4, 6x6 or 9x9 grid has 16, 36 or 81");
            yield return new SudokuPuzzle(source,
                ParseGrid(geometry, question, "question", allowBlanks: true, fail),
                ParseGrid(geometry, answer, "answer", allowBlanks: false, fail),
                int.TryParse(rating, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
                    ? value : throw fail($"the rating '{rating}' is not an integer"));
        }
    }

    static SudokuGrid ParseGrid(SudokuGeometry geometry, string text, string field, bool allowBlanks, Func<string, TrmException> fail)
    {
        if (text.Length != geometry.CellCount)
            throw fail($"the {field} has {text.Length} characters, expected {geometry.CellCount} ({geometry}, as the first row)");
        var cells = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (allowBlanks && c is '.' or '0') continue;
            if (c < '1' || c > '0' + geometry.Size)
                throw fail($"the {field} has '{c}' at position {i + 1}; allowed are {(allowBlanks ? "'.', '0' (blank) and " : "")}1-{geometry.Size}");
            cells[i] = (byte)(c - '0');
        }
        return new SudokuGrid(geometry, cells);
    }

    /// <summary>Writes <paramref name="puzzles"/> to <paramref name="path"/> (blanks as <c>.</c>) through a temporary file renamed into place.</summary>
    public static void Write(string path, IEnumerable<SudokuPuzzle> puzzles)
    {
        AtomicOutput.WriteFile(path, temporary =>
        {
            using var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false));
            writer.NewLine = "\n";
            writer.WriteLine(Header);
            foreach (var puzzle in puzzles)
            {
                if (puzzle.Source.AsSpan().IndexOfAny(",\n\r") >= 0)
                    throw new ArgumentException($"source '{puzzle.Source}' holds a comma or line break, which the CSV layout cannot carry", nameof(puzzles));
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{puzzle.Source},{puzzle.Question},{puzzle.Answer},{puzzle.Rating}"));
            }
        });
    }

    /// <summary>
    /// Writes <paramref name="directory"/>/train.csv and test.csv into a temporary sibling renamed into
    /// place, so the directory appears complete or not at all. Refuses an existing directory.
    /// </summary>
    public static void WriteDirectory(string directory, SudokuSplits splits)
    {
        directory = Path.GetFullPath(directory);
        AtomicOutput.RequireAbsent(directory);
        AtomicOutput.WriteDirectory(directory, temporary =>
        {
            Write(Path.Combine(temporary, "train.csv"), splits.Train);
            Write(Path.Combine(temporary, "test.csv"), splits.Test);
        });
    }
}
