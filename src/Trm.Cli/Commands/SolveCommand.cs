using System.CommandLine;
using System.Text.Json;
using Trm.Inference;
using Trm.Puzzles.Sudoku;

namespace Trm.Cli.Commands;

/// <summary><c>trm solve sudoku --checkpoint DIR PUZZLE</c>: a trained model's answer, checked.</summary>
public static class SolveCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "Checkpoint directory (ours, or the reference's)", Required = true };
        var ema = new Option<bool>("--ema") { Description = "Use the EMA weights (ema.pt)" };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Supervision steps at most (default: the model's halt_max_steps)" };
        var fixedSteps = new Option<bool>("--fixed-steps") { Description = "Always run --max-steps steps instead of stopping at the Q head's halt" };
        var output = new Option<FileInfo?>("--out") { Description = "Also write the answer and every step as JSON to this file" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var puzzle = new Argument<string>("puzzle") { Description = "The cells row by row, . or 0 for blanks (16, 36 or 81 characters)" };
        var sudoku = new Command("sudoku", "Solve a Sudoku with a trained model; says whether the answer is a valid solution that keeps the givens.")
        {
            checkpoint, ema, maxSteps, fixedSteps, output, device, puzzle,
        };
        sudoku.SetAction(parse => CommandRunner.Run(() => Sudoku(parse.GetValue(checkpoint)!.FullName, parse.GetValue(puzzle)!, parse.GetValue(ema),
            parse.GetValue(maxSteps), !parse.GetValue(fixedSteps), parse.GetValue(output)?.FullName, parse.GetValue(device)!, Console.Out)));
        return new Command("solve", "Use a trained model on a puzzle.") { sudoku, SolveArcCommand.Create() };
    }

    public static int Sudoku(string checkpoint, string text, bool ema, int? maxSteps, bool adaptive, string? jsonPath, string device, TextWriter output)
    {
        var question = SudokuText.Parse(text);
        using var model = TrmModel.Load(checkpoint, ema, device: device);
        var solution = model.Solve([SudokuText.Tokens(question)], new SolveOptions(maxSteps, adaptive))[0];
        var answer = SudokuText.FromTokens(question.Geometry, solution.Answer);
        var problem = SudokuValidator.ConsistencyProblem(question, answer) ?? SudokuValidator.Problem(answer);

        output.WriteLine(SudokuText.Format(answer));
        output.WriteLine(problem is null ? "valid: a complete solution that keeps every given" : $"not a solution: {problem}");
        output.WriteLine($"steps: {solution.StepsUsed} of at most {maxSteps ?? model.Config.Arch.Model.HaltMaxSteps} ({(adaptive ? "stops when the Q head says done" : "fixed")}); " +
            $"halt confidence {solution.Steps[solution.StepsUsed - 1].HaltProbability:P1}");
        if (jsonPath is not null)
        {
            var json = new
            {
                puzzle = question.ToString(), answer = answer.ToString(), valid = problem is null, problem, steps_used = solution.StepsUsed,
                steps = solution.Steps.Select(s => new { answer = SudokuText.FromTokens(question.Geometry, s.Answer).ToString(), halt_probability = s.HaltProbability }),
            };
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        }
        return problem is null ? 0 : 1;
    }
}
