using Trm.IO;
using System.CommandLine;
using System.Diagnostics;
using Trm.Puzzles.Sudoku;
using Trm.Solving;

namespace Trm.Cli.Commands;

/// <summary><c>trm solve sudoku --checkpoint DIR|--onnx FILE.onnx PUZZLE|FILE</c>: one Sudoku typed in, or a file of them.</summary>
public static class SolveSudokuCommand
{
    public static Command Create()
    {
        var flags = new SolveFlags();
        var puzzle = new Argument<string>("puzzle")
        {
            Description = "The cells row by row, . or 0 for blanks (16, 36 or 81 characters); or a file: one puzzle a line, or a CSV in the Sudoku-Extreme layout (source,question,answer,rating)",
        };
        var command = new Command("sudoku", "Solve Sudoku with a trained model; says whether each answer is a valid solution that keeps the givens.") { puzzle };
        flags.AddTo(command);
        flags.AddOnnxTo(command);
        command.SetAction(parse => CommandRunner.Run(() => Execute(flags, parse, parse.GetValue(puzzle)!, Console.Out), flags.Flags));
        return command;
    }

    static int Execute(SolveFlags flags, ParseResult parse, string puzzleOrFile, TextWriter output)
    {
        var questions = !UserFile.IsMissing(puzzleOrFile) ? SudokuKind.Questions(puzzleOrFile) : [SudokuKind.Question(puzzleOrFile, $"the puzzle '{Shown(puzzleOrFile)}'")];
        if (questions.Count == 0) throw new TrmException($"{puzzleOrFile}: no puzzles in the file.");
        PuzzleSolving.Shape(questions);
        var options = flags.Options(parse, puzzleOrFile);
        using var model = flags.LoadSolver(parse);
        var clock = Stopwatch.StartNew();
        var outcomes = PuzzleSolving.Solve(model, questions, options);
        var seconds = clock.Elapsed.TotalSeconds;

        if (outcomes.Count == 1)
        {
            var outcome = outcomes[0];
            output.WriteLine(SudokuText.Format(outcome.Answer));
            output.WriteLine(outcome.Problem is null ? "valid: a complete solution that keeps every given" : $"not a solution: {outcome.Problem}");
            output.WriteLine(SolveFlags.Steps(outcome.Solution, options, model));
            if (SolveFlags.Runs(outcome.Question, outcome.Solution, options) is { } runs) output.WriteLine(runs);
        }
        else
        {
            foreach (var outcome in outcomes.Where(o => o.Problem is not null).Take(10))
                output.WriteLine($"{outcome.Question.Label}: not a solution: {outcome.Problem}");
            int valid = outcomes.Count(o => o.Problem is null);
            output.WriteLine($"{outcomes.Count} puzzles: {valid} valid solutions ({(double)valid / outcomes.Count:P1}), mean steps {outcomes.Average(o => o.Solution.StepsUsed):F2}, " +
                $"{outcomes.Count / seconds:F0} puzzles/s");
            if (outcomes.Any(o => o.MatchesExpected is not null))
                output.WriteLine($"equal to the file's answer: {outcomes.Count(o => o.MatchesExpected == true)} of {outcomes.Count}");
            if (SolveFlags.Oracle(questions, [.. outcomes.Select(o => o.Solution)], options) is { } oracle) output.WriteLine(oracle);
        }

        flags.WriteOutputs(parse, outcomes, output);
        return outcomes.All(o => o.Solved == true) ? 0 : 1;
    }

    /// <summary>The puzzle as its errors quote it (it may be a file name with a typo).</summary>
    static string Shown(string text) => text.Length > 40 ? text[..40] + "..." : text;
}
