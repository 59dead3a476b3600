// dotnet run --project examples/SolveWithOnnx -- MODEL.onnx PUZZLE
// PUZZLE: the cells row by row, . or 0 for a blank (16, 36 or 81 characters). Prints the answer, whether it is a solution, and the steps.
using Trm;
using Trm.Onnx;
using Trm.Puzzles.Sudoku;
using Trm.Solving;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: SolveWithOnnx MODEL.onnx PUZZLE");
    return 2;
}
try
{
    using var model = OnnxModel.Load(args[0]);
    var outcome = PuzzleSolving.Solve(model, [SudokuKind.Question(args[1], "the puzzle")])[0];
    Console.WriteLine(SudokuText.Format(outcome.Answer));
    Console.WriteLine(outcome.Problem is null ? "valid: a complete solution that keeps every given" : $"not a solution: {outcome.Problem}");
    Console.WriteLine($"steps: {outcome.Solution.StepsUsed} of at most {model.HaltMaxSteps}");
    return outcome.Solved == true ? 0 : 1;
}
catch (TrmException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
