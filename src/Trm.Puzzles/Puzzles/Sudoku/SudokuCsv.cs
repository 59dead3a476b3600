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
    /// checking each record as it goes (fields may be quoted, RFC 4180); empty lines are skipped. Whether answers solve their questions is not checked.
    /// </summary>
    /// <exception cref="TrmException">Naming the file, line and reason for the first bad line.</exception>
    public static IEnumerable<SudokuPuzzle> Read(string path)
    {
        if (UserFile.IsMissing(path)) throw new TrmException($"{path} not found; expected a CSV with the header {Header}.");
        return ReadRecords(path);
    }

    static IEnumerable<SudokuPuzzle> ReadRecords(string path)
    {
        SudokuGeometry? geometry = null;
        foreach (var record in CsvFile.ReadTable(path, Header, "the Sudoku-Extreme layout"))
        {
            if (record.Fields is [""]) continue;   // an empty line
            if (record.Fields.Count != 4) throw record.Error($"expected 4 fields ({Header}), found {record.Fields.Count}");
            var (source, question, answer, rating) = (record.Fields[0], record.Fields[1], record.Fields[2], record.Fields[3]);
            geometry ??= SudokuGeometry.ForCellCount(question.Length)
                ?? throw record.Error($"the question has {question.Length} characters; a 4x4, 6x6 or 9x9 grid has 16, 36 or 81");
            yield return new SudokuPuzzle(source,
                ParseGrid(geometry, question, "question", allowBlanks: true, record),
                ParseGrid(geometry, answer, "answer", allowBlanks: false, record),
                int.TryParse(rating, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
                    ? value : throw record.Error($"the rating '{rating}' is not an integer"));
        }
    }

    /// <summary>One grid field, its errors naming the field and, unlike <see cref="SudokuCells"/>'s, the first row's size.</summary>
    static SudokuGrid ParseGrid(SudokuGeometry geometry, string text, string field, bool allowBlanks, CsvRecord record)
    {
        if (text.Length != geometry.CellCount)
            throw record.Error($"the {field} has {text.Length} characters, expected {geometry.CellCount} ({geometry}, as the first row)");
        return new SudokuGrid(geometry, SudokuCells.TryParse(text, geometry, allowBlanks, out int bad)
            ?? throw record.Error($"the {field} has '{text[bad]}' at position {bad + 1}; allowed are {(allowBlanks ? "'.', '0' (blank) and " : "")}1-{geometry.Size}"));
    }

    /// <summary>Writes <paramref name="puzzles"/> to <paramref name="path"/> (blanks as <c>.</c>, a source quoted where CSV needs it) through a temporary file renamed into place.</summary>
    public static void Write(string path, IEnumerable<SudokuPuzzle> puzzles)
    {
        AtomicOutput.WriteFile(path, temporary =>
        {
            using var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false));
            writer.NewLine = "\n";
            writer.WriteLine(Header);
            foreach (var puzzle in puzzles)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{CsvFile.Quote(puzzle.Source)},{puzzle.Question},{puzzle.Answer},{puzzle.Rating}"));
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
