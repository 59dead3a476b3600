using System.Text;
using Trm.IO;

namespace Trm.Puzzles.Maze;

/// <summary>
/// Maze-Hard CSV files: a header <c>source,question,answer,rating</c>, then one maze per line with the
/// question and answer flattened row-major. Fields holding a comma, quote or line break are quoted, as pandas writes them (<see cref="CsvFile"/>).
/// </summary>
public static class MazeCsv
{
    public const string Header = "source,question,answer,rating";

    /// <summary>
    /// Reads <paramref name="path"/> lazily, each row checked: 4 fields, square grids over <c># SGo</c> of one size
    /// for the whole file, and an answer that is a shortest route of its question. Errors read <c>file:line: reason.</c>
    /// </summary>
    public static IEnumerable<MazeExample> Read(string path)
    {
        if (UserFile.IsMissing(path)) throw new TrmException($"{path} not found: a maze directory holds train.csv and test.csv ({Header}).");
        return ReadRows(path);
    }

    static IEnumerable<MazeExample> ReadRows(string path)
    {
        int size = 0, sizeLine = 0;
        foreach (var record in CsvFile.ReadTable(path, Header, "the Maze-Hard layout"))
        {
            var fields = record.Fields;
            if (fields.Count != 4) throw record.Error($"expected 4 fields ({Header}), found {fields.Count}");
            var (question, answer) = (fields[1], fields[2]);
            if (question.Length != answer.Length) throw record.Error($"the question has {question.Length} cells, the answer {answer.Length}");
            if (MazeGrid.Problem(question) is { } q) throw record.Error($"question: {q}");
            if (MazeGrid.Problem(answer) is { } a) throw record.Error($"answer: {a}");
            var example = new MazeExample(fields[0], MazeGrid.Parse(question), MazeGrid.Parse(answer), fields[3]);
            if (size == 0) (size, sizeLine) = (example.Question.Size, record.Line);
            else if (example.Question.Size != size)
                throw record.Error($"a {example.Question.Size}x{example.Question.Size} maze, but line {sizeLine} holds a {size}x{size} one; all mazes of a file must have one size");
            if (MazeValidator.Check(example.Question, example.Answer) is { } wrong) throw record.Error($"the answer is not a shortest route: {wrong}");
            yield return example;
        }
    }

    /// <summary>
    /// Writes <paramref name="examples"/> (streamed) to <paramref name="path"/> through a temporary sibling renamed
    /// at the end, so a failure leaves no partial file. Refuses an existing file. Returns the rows written.
    /// </summary>
    public static int Write(string path, IEnumerable<MazeExample> examples)
    {
        path = Path.GetFullPath(path);
        AtomicOutput.RequireAbsent(path, "remove it or choose another file");
        return AtomicOutput.WriteFile(path, temporary =>
        {
            int rows = 0;
            using var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            writer.NewLine = "\n";
            writer.WriteLine(Header);
            foreach (var example in examples)
            {
                writer.WriteLine(string.Join(",", CsvFile.Quote(example.Source), example.Question, example.Answer, CsvFile.Quote(example.Rating)));
                rows++;
            }
            return rows;
        });
    }
}
