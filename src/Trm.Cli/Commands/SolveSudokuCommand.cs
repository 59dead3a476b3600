using System.CommandLine;
using System.Diagnostics;
using Trm.Inference;
using Trm.IO;
using Trm.Puzzles.Sudoku;
using Trm.Rendering;

namespace Trm.Cli.Commands;

/// <summary><c>trm solve sudoku --checkpoint DIR PUZZLE|FILE</c>: one Sudoku typed in, or a file of them.</summary>
public static class SolveSudokuCommand
{
    /// <summary>A puzzle to solve and, when the file gives one, its expected answer.</summary>
    sealed record Question(string Label, SudokuGrid Grid, SudokuGrid? Expected);

    public static Command Create()
    {
        var flags = new SolveFlags();
        var puzzle = new Argument<string>("puzzle")
        {
            Description = "The cells row by row, . or 0 for blanks (16, 36 or 81 characters); or a file: one puzzle a line, or a CSV in the Sudoku-Extreme layout (source,question,answer,rating)",
        };
        var command = new Command("sudoku", "Solve Sudoku with a trained model; says whether each answer is a valid solution that keeps the givens.") { puzzle };
        flags.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() => Execute(flags, parse, parse.GetValue(puzzle)!, Console.Out), flags.Flags));
        return command;
    }

    static int Execute(SolveFlags flags, ParseResult parse, string puzzleOrFile, TextWriter output)
    {
        var questions = File.Exists(puzzleOrFile) ? ReadFile(puzzleOrFile) : [FromArgument(puzzleOrFile)];
        if (questions.Count == 0) throw new TrmException($"{puzzleOrFile}: no puzzles in the file.");
        if (questions.Select(q => q.Grid.Geometry.Size).Distinct().Count() > 1)
            throw new TrmException($"{puzzleOrFile}: the puzzles have different sizes; a model solves one size, so split the file.");
        var options = flags.Options(parse);
        using var model = flags.LoadModel(parse);
        var geometry = questions[0].Grid.Geometry;
        model.RequireFits($"a {geometry.Size}x{geometry.Size} Sudoku", geometry.CellCount, geometry.Size + 2);   // digit + 1, 0 pad, 1 blank
        var clock = Stopwatch.StartNew();
        var solutions = model.Solve(questions.Select(q => SudokuText.Tokens(q.Grid)).ToList(), options);
        var seconds = clock.Elapsed.TotalSeconds;

        var results = questions.Zip(solutions, (q, s) => Check(q, s)).ToList();
        if (results.Count == 1)
        {
            var (question, solution, answer, problem) = results[0];
            output.WriteLine(SudokuText.Format(answer));
            output.WriteLine(problem is null ? "valid: a complete solution that keeps every given" : $"not a solution: {problem}");
            output.WriteLine(SolveFlags.Steps(solution, options, model));
        }
        else
        {
            foreach (var (question, solution, answer, problem) in results.Where(r => r.Problem is not null).Take(10))
                output.WriteLine($"{question.Label}: not a solution: {problem}");
            int valid = results.Count(r => r.Problem is null);
            output.WriteLine($"{results.Count} puzzles: {valid} valid solutions ({(double)valid / results.Count:P1}), mean steps {solutions.Average(s => s.StepsUsed):F2}, " +
                $"{results.Count / seconds:F0} puzzles/s");
            if (results.Any(r => r.Question.Expected is not null))
                output.WriteLine($"equal to the file's answer: {results.Count(r => r.Answer.Equals(r.Question.Expected))} of {results.Count}");
        }

        flags.WriteOutputs(parse, results.Select(r => (SolveRecord)new SudokuSolveRecord(r.Question.Grid.ToString(), r.Answer.ToString(), r.Problem is null,
            r.Problem, r.Solution.StepsUsed,
            r.Solution.Steps.Select(s => new SudokuSolveStep(SudokuText.FromTokens(r.Question.Grid.Geometry, s.Answer).ToString(), s.HaltProbability)).ToList())).ToList(), output);
        return results.All(r => r.Problem is null) ? 0 : 1;
    }

    static (Question Question, Solution Solution, SudokuGrid Answer, string? Problem) Check(Question question, Solution solution)
    {
        var answer = SudokuText.FromTokens(question.Grid.Geometry, solution.Answer);
        return (question, solution, answer, SudokuValidator.ConsistencyProblem(question.Grid, answer) ?? SudokuValidator.Problem(answer));
    }

    /// <summary>The puzzle given on the command line; its errors quote it (it may be a file name with a typo).</summary>
    static Question FromArgument(string text)
    {
        try
        {
            return new Question("puzzle", SudokuText.Parse(text), null);
        }
        catch (TrmException e)
        {
            var shown = text.Length > 40 ? text[..40] + "..." : text;
            throw new TrmException($"the puzzle '{shown}': {e.Message}", e);
        }
    }

    static List<Question> ReadFile(string path)
    {
        using (var reader = new StreamReader(path))
            if (reader.ReadLine() == SudokuCsv.Header)
                return SudokuCsv.Read(path).Select((p, i) => new Question($"{path}:{i + 2}", p.Question, p.Answer)).ToList();
        return File.ReadLines(path).Select((line, i) => (Line: line, Number: i + 1)).Where(l => l.Line.Trim().Length > 0).Select(l =>
        {
            try
            {
                return new Question($"{path}:{l.Number}", SudokuText.Parse(l.Line), null);
            }
            catch (TrmException e)
            {
                throw new TrmException($"{path}:{l.Number}: {e.Message}", e);
            }
        }).ToList();
    }
}
