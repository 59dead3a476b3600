using System.Text;

namespace Trm.IO;

/// <summary>One CSV record: its fields and the line of the file it starts on (1-based), for errors as <c>file:line: reason</c>.</summary>
public sealed record CsvRecord(string File, int Line, IReadOnlyList<string> Fields)
{
    /// <summary>An error about this record: <c>file:line: reason.</c></summary>
    public TrmException Error(string reason) => CsvFile.Error(File, Line, reason);
}

/// <summary>
/// CSV as RFC 4180 writes it (and pandas), the one reader of the puzzle CSVs: fields split by commas, records by line breaks (<c>\n</c>, <c>\r\n</c> or
/// <c>\r</c>); a field that starts with a quote runs to the closing quote and may hold commas, line breaks and doubled
/// quotes (<c>""</c> for one). A quote inside an unquoted field is an ordinary character. Records stream, so a file of
/// millions of lines is never held; an empty line is a record of one empty field. Errors read <c>file:line: reason.</c>
/// </summary>
public static class CsvFile
{
    public static TrmException Error(string file, int line, string reason) => new($"{file}:{line}: {reason}.");

    /// <summary>Longest record read (1 Mi characters): the puzzle CSVs' records are at most a few thousand; a file without line ends stops here.</summary>
    public const int MaxRecordChars = 1 << 20;

    /// <summary>A field as written: quoted (inner quotes doubled) when it holds a comma, a quote or a line break, else as is.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{field.Replace("\"", "\"\"")}\"" : field;

    /// <summary>Whether the file's first line is <paramref name="header"/> (read no further than that line could be): how a file of
    /// puzzles is told to be a CSV of a benchmark's layout rather than text.</summary>
    public static bool HasHeader(string path, string header)
    {
        using var reader = new StreamReader(UserFile.OpenRead(path, "a puzzle file (text or CSV)"));
        var start = new char[header.Length + 2];
        int read = reader.ReadBlock(start, 0, start.Length);
        var line = new string(start, 0, read).Split('\n')[0].TrimEnd('\r');
        return line == header;
    }

    /// <summary>
    /// Streams the records of <paramref name="path"/> after checking that its first record is <paramref name="header"/>
    /// (the field names joined by commas, as the file's first line reads).
    /// </summary>
    /// <param name="layout">Names the layout in the header error, e.g. "the Sudoku-Extreme layout".</param>
    public static IEnumerable<CsvRecord> ReadTable(string path, string header, string layout)
    {
        bool first = true;
        foreach (var record in Read(path))
        {
            if (first)
            {
                var found = string.Join(",", record.Fields);
                if (found != header) throw record.Error($"the header is '{found}', expected '{header}' ({layout})");
                first = false;
                continue;
            }
            yield return record;
        }
        if (first) throw Error(path, 1, $"the file is empty, expected the header '{header}' ({layout})");
    }

    /// <summary>Streams the records of <paramref name="path"/> (UTF-8; a byte-order mark is skipped).</summary>
    public static IEnumerable<CsvRecord> Read(string path)
    {
        using var reader = new StreamReader(UserFile.OpenRead(path, "a CSV file"), Encoding.UTF8);
        foreach (var record in Read(reader, path)) yield return record;
    }

    /// <param name="name">The file's name in errors.</param>
    public static IEnumerable<CsvRecord> Read(TextReader text, string name)
    {
        var input = new Input(text);
        var field = new StringBuilder();
        int line = 1;
        while (input.Peek() >= 0)
        {
            int start = line, length = 0;
            var fields = new List<string>();
            void Append(int c)
            {
                if (++length > MaxRecordChars) throw Error(name, start, $"the record is longer than {MaxRecordChars} characters; this is not a CSV of puzzles");
                field.Append((char)c);
            }
            while (true)
            {
                if (input.Peek() == '"')
                {
                    input.Next();
                    int opened = line;
                    while (true)
                    {
                        int c = input.Next();
                        if (c < 0) throw Error(name, opened, $"field {fields.Count + 1} opens a quote that is never closed");
                        if (c == '"')
                        {
                            if (input.Peek() != '"') break;
                            input.Next();
                        }
                        else if (c == '\n' || c == '\r' && input.Peek() != '\n') line++;
                        Append(c);
                    }
                    if (input.Peek() is not (',' or '\n' or '\r' or -1))
                        throw Error(name, line, $"field {fields.Count + 1} has '{(char)input.Peek()}' after its closing quote; a quoted field ends at a comma or the line's end");
                }
                else
                    while (input.Peek() is not (',' or '\n' or '\r' or -1)) Append(input.Next());
                fields.Add(field.ToString());
                field.Clear();
                int end = input.Next();
                if (end == ',') continue;
                if (end == '\r' && input.Peek() == '\n') input.Next();
                line++;
                break;
            }
            yield return new CsvRecord(name, start, fields);
        }
    }

    /// <summary>Characters of a reader with one of look-ahead, read in blocks (a call per character would be slow on millions of lines).</summary>
    sealed class Input(TextReader reader)
    {
        readonly char[] buffer = new char[1 << 16];
        int position, length;

        /// <summary>The next character, or -1 at the end.</summary>
        public int Peek()
        {
            if (position == length)
            {
                (position, length) = (0, reader.Read(buffer, 0, buffer.Length));
                if (length == 0) return -1;
            }
            return buffer[position];
        }

        public int Next()
        {
            int c = Peek();
            if (c >= 0) position++;
            return c;
        }
    }
}
