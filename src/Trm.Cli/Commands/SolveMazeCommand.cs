using System.CommandLine;
using System.Diagnostics;
using Trm.Inference;
using Trm.IO;
using Trm.Puzzles.Maze;
using Trm.Rendering;

namespace Trm.Cli.Commands;

/// <summary><c>trm solve maze --checkpoint DIR FILE</c>: a maze drawn as text (or a CSV of them), with the predicted path checked.</summary>
public static class SolveMazeCommand
{
    sealed record Question(string Label, MazeGrid Grid);

    sealed record Result(Question Question, Solution Solution, MazeGrid? Answer, MazeVerdict Verdict);

    public static Command Create()
    {
        var flags = new SolveFlags();
        var file = new Argument<FileInfo>("file")
        {
            Description = "A maze as text, one row per line: # wall, space open, S start, G goal; or a CSV in the Maze-Hard layout (source,question,answer,rating)",
        };
        var command = new Command("maze", "Find a maze's path with a trained model; says whether it is a valid route from S to G and a shortest one.") { file };
        flags.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() => Execute(flags, parse, parse.GetValue(file)!.FullName, Console.Out), flags.Flags));
        return command;
    }

    static int Execute(SolveFlags flags, ParseResult parse, string path, TextWriter output)
    {
        if (!File.Exists(path)) throw new TrmException($"{path} not found; give a maze as a text file (one row per line, '{MazeGrid.Charset}').");
        var questions = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            ? MazeCsv.Read(path).Select((m, i) => new Question($"{path}:{i + 2}", m.Question)).ToList()
            : [new Question(path, MazeText.Parse(MazeText.ReadFile(path), path))];
        if (questions.Count == 0) throw new TrmException($"{path}: no mazes in the file.");
        if (questions.Select(q => q.Grid.Size).Distinct().Count() > 1)
            throw new TrmException($"{path}: the mazes have different sizes; a model solves one size, so split the file.");

        var options = flags.Options(parse);
        using var model = flags.LoadModel(parse);
        var size = questions[0].Grid.Size;
        model.RequireFits($"a {size}x{size} maze", size * size, MazeGrid.Charset.Length + 1);   // pad + "# SGo"
        var clock = Stopwatch.StartNew();
        var solutions = model.Solve(questions.Select(q => q.Grid.ToTokens().Select(t => (int)t).ToArray()).ToList(), options);
        var seconds = clock.Elapsed.TotalSeconds;
        var results = questions.Zip(solutions, Check).ToList();

        if (results.Count == 1)
        {
            var result = results[0];
            output.WriteLine(result.Answer?.ToDisplayString() ?? "(the answer holds tokens that are not maze cells)");
            output.WriteLine(result.Verdict.Shortest ? "valid: a shortest path from S to G"
                : result.Verdict.ConnectsStartToGoal ? $"a path from S to G, but not a shortest one: {result.Verdict.Problem}"
                : $"not a path from S to G: {result.Verdict.Problem}");
            output.WriteLine(SolveFlags.Steps(result.Solution, options, model));
        }
        else
        {
            foreach (var result in results.Where(r => !r.Verdict.Shortest).Take(10)) output.WriteLine($"{result.Question.Label}: {result.Verdict.Problem}");
            int shortest = results.Count(r => r.Verdict.Shortest), connected = results.Count(r => r.Verdict.ConnectsStartToGoal);
            output.WriteLine($"{results.Count} mazes: {shortest} shortest paths ({(double)shortest / results.Count:P1}), {connected} reach G, " +
                $"mean steps {solutions.Average(s => s.StepsUsed):F2}, {results.Count / seconds:F1} mazes/s");
        }

        flags.WriteOutputs(parse, results.Select(r => (SolveRecord)new MazeSolveRecord(r.Question.Grid.ToDisplayString().Split('\n'),
            MazeText.Rows(r.Solution.Answer), r.Verdict.ConnectsStartToGoal, r.Verdict.Shortest, r.Verdict.Problem, r.Solution.StepsUsed,
            r.Solution.Steps.Select(s => new MazeSolveStep(MazeText.Rows(s.Answer), s.HaltProbability)).ToList())).ToList(), output);
        return results.All(r => r.Verdict.Shortest) ? 0 : 1;
    }

    static Result Check(Question question, Solution solution)
    {
        var answer = MazeText.FromTokens(solution.Answer);
        var verdict = answer is null ? new MazeVerdict(false, false, "the answer holds tokens that are not maze cells")
            : MazeValidator.Assess(question.Grid, answer);
        return new Result(question, solution, answer, verdict);
    }
}
