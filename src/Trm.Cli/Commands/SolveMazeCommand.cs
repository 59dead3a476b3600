using System.CommandLine;
using System.Diagnostics;
using Trm.Puzzles.Maze;
using Trm.Solving;

namespace Trm.Cli.Commands;

/// <summary><c>trm solve maze --checkpoint DIR|--onnx FILE.onnx FILE</c>: a maze drawn as text (or a CSV of them), with the predicted path checked.</summary>
public static class SolveMazeCommand
{
    public static Command Create()
    {
        var flags = new SolveFlags();
        var file = new Argument<FileInfo>("file")
        {
            Description = "A maze as text, one row per line: # wall, space open, S start, G goal; or a CSV in the Maze-Hard layout (source,question,answer,rating)",
        };
        var command = new Command("maze", "Find a maze's path with a trained model; says whether it is a valid route from S to G and a shortest one.") { file };
        flags.AddTo(command);
        flags.AddOnnxTo(command);
        command.SetAction(parse => CommandRunner.Run(() => Execute(flags, parse, parse.GetValue(file)!.FullName, Console.Out), flags.Flags));
        return command;
    }

    static int Execute(SolveFlags flags, ParseResult parse, string path, TextWriter output)
    {
        var questions = MazeKind.Questions(path);
        if (questions.Count == 0) throw new TrmException($"{path}: no mazes in the file.");
        PuzzleSolving.Shape(questions);
        var options = flags.Options(parse, path);
        using var model = flags.LoadSolver(parse);
        var clock = Stopwatch.StartNew();
        var outcomes = PuzzleSolving.Solve(model, questions, options);
        var seconds = clock.Elapsed.TotalSeconds;

        if (outcomes.Count == 1)
        {
            var outcome = outcomes[0];
            output.WriteLine(outcome.Answer?.ToDisplayString() ?? "(the answer holds tokens that are not maze cells)");
            output.WriteLine(outcome.Verdict.Shortest ? "valid: a shortest path from S to G"
                : outcome.Verdict.ConnectsStartToGoal ? $"a path from S to G, but not a shortest one: {outcome.Verdict.Problem}"
                : $"not a path from S to G: {outcome.Verdict.Problem}");
            output.WriteLine(SolveFlags.Steps(outcome.Solution, options, model));
            if (SolveFlags.Runs(outcome.Question, outcome.Solution, options) is { } runs) output.WriteLine(runs);
        }
        else
        {
            foreach (var outcome in outcomes.Where(o => !o.Verdict.Shortest).Take(10)) output.WriteLine($"{outcome.Question.Label}: {outcome.Verdict.Problem}");
            int shortest = outcomes.Count(o => o.Verdict.Shortest), connected = outcomes.Count(o => o.Verdict.ConnectsStartToGoal);
            output.WriteLine($"{outcomes.Count} mazes: {shortest} shortest paths ({(double)shortest / outcomes.Count:P1}), {connected} reach G, " +
                $"mean steps {outcomes.Average(o => o.Solution.StepsUsed):F2}, {outcomes.Count / seconds:F1} mazes/s");
            if (SolveFlags.Oracle(questions, [.. outcomes.Select(o => o.Solution)], options) is { } oracle) output.WriteLine(oracle);
        }

        flags.WriteOutputs(parse, outcomes, output);
        return outcomes.All(o => o.Solved == true) ? 0 : 1;
    }
}
