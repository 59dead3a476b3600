using System.Text;
using Trm.IO;

namespace Trm.Puzzles.Maze;

/// <summary>
/// Maze-Hard CSV files: a header <c>source,question,answer,rating</c>, then one maze per line with the
/// question and answer flattened row-major. Fields holding a comma or a quote are quoted, as pandas writes them.
/// </summary>
public static class MazeCsv
{
    public const string Header = "source,question,answer,rating";

    /// <summary>
    /// Reads <paramref name="path"/> lazily, each row checked: 4 fields, square grids over <c># SGo</c> of one size
    /// for the whole file, and an answer that is a shortest route of its question. Errors name the file and line.
    /// </summary>
    public static IEnumerable<MazeExample> Read(string path)
    {
        if (!File.Exists(path)) throw new TrmException($"{path} not found: a maze directory holds train.csv and test.csv ({Header}).");
        return ReadRows(path);
    }

    static IEnumerable<MazeExample> ReadRows(string path)
    {
        int line = 0, size = 0, sizeLine = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            TrmException Error(string problem) => new($"{path} line {line}: {problem}.");
            if (line == 1)
            {
                if (text.TrimStart('\uFEFF') != Header) throw Error($"the header must be '{Header}', is '{text}'");
                continue;
            }
            var fields = SplitFields(text);
            if (fields is null) throw Error("a quoted field is not closed");
            if (fields.Count != 4) throw Error($"expected 4 fields ({Header}), found {fields.Count}");
            var (question, answer) = (fields[1], fields[2]);
            if (question.Length != answer.Length) throw Error($"the question has {question.Length} cells, the answer {answer.Length}");
            if (MazeGrid.Problem(question) is { } q) throw Error($"question: {q}");
            if (MazeGrid.Problem(answer) is { } a) throw Error($"answer: {a}");
            var example = new MazeExample(fields[0], MazeGrid.Parse(question), MazeGrid.Parse(answer), fields[3]);
            if (size == 0) (size, sizeLine) = (example.Question.Size, line);
            else if (example.Question.Size != size)
                throw Error($"a {example.Question.Size}x{example.Question.Size} maze, but line {sizeLine} holds a {size}x{size} one; all mazes of a file must have one size");
            if (MazeValidator.Check(example.Question, example.Answer) is { } wrong) throw Error($"the answer is not a shortest route: {wrong}");
            yield return example;
        }
        if (line == 0) throw new TrmException($"{path} is empty; expected the header '{Header}'.");
    }

    /// <summary>Splits one line into fields, undoing CSV quoting; null when a quote is left open.</summary>
    static List<string>? SplitFields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return quoted ? null : fields;
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
                writer.WriteLine(string.Join(",", Quote(example.Source), example.Question, example.Answer, Quote(example.Rating)));
                rows++;
            }
            return rows;
        });
    }

    static string Quote(string field)
    {
        if (field.Contains('\n') || field.Contains('\r')) throw new ArgumentException($"CSV field '{field}' holds a line break");
        return field.Contains(',') || field.Contains('"') ? $"\"{field.Replace("\"", "\"\"")}\"" : field;
    }
}
