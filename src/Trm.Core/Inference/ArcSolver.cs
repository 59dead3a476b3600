using Trm.Configuration;
using Trm.Evaluation;
using Trm.Puzzles.Arc;
using Trm.Solving;

namespace Trm.Inference;

/// <summary>A copy of an ARC task that a model has a puzzle-embedding row for: the row, and the augmentation its name records.</summary>
public sealed record ArcCopy(int Identifier, ArcAugmentation Augmentation, bool IsOriginal);

/// <summary>One distinct answer to a test input, in the original colours and orientation, with its votes and their mean sigmoid(q_halt).</summary>
public sealed record ArcCandidateAnswer(byte[,] Grid, int Votes, double MeanHaltProbability);

/// <summary>One supervision step of the un-augmented copy: its answer (cropped to the grid) and the Q head's halting probability.</summary>
public sealed record ArcStep(byte[,] Answer, double HaltProbability);

/// <summary>
/// The answer to one test input: <see cref="Attempts"/> best first (the best repeated when there are fewer distinct
/// answers), every distinct answer with its share of the <see cref="Votes"/>, and the steps of the un-augmented copy
/// (empty when the model has no un-augmented copy of the task).
/// </summary>
public sealed record ArcTestAnswer(byte[,] Input, byte[,]? Expected, IReadOnlyList<byte[,]> Attempts, IReadOnlyList<ArcCandidateAnswer> Candidates,
    int Votes, IReadOnlyList<ArcStep> Steps)
{
    /// <summary>Whether attempt <paramref name="index"/> equals the expected output; null when the task file gives none.</summary>
    public bool? IsCorrect(int index) => Expected is null ? null : SameGrid(Attempts[index], Expected);

    /// <summary>Whether an attempt equals the expected output (ARC's pass@2 for this input); null when the task file gives none.</summary>
    public bool? Solved => Expected is null ? null : Attempts.Any(a => SameGrid(a, Expected));

    static bool SameGrid(byte[,] a, byte[,] b) =>
        a.GetLength(0) == b.GetLength(0) && a.GetLength(1) == b.GetLength(1) && a.Cast<byte>().SequenceEqual(b.Cast<byte>());
}

/// <summary>A task's answers, one per test input in file order, voted over <see cref="Copies"/> copies.</summary>
public sealed record ArcTaskAnswer(string TaskId, int Copies, IReadOnlyList<ArcTestAnswer> Tests);

/// <summary>
/// Solves ARC tasks the model was trained on, as the reference's evaluation does: every test input is augmented as each
/// copy of the task was (the copies are the identifiers named <c>&lt;id&gt;</c> or <c>&lt;id&gt;|||t&lt;k&gt;|||&lt;map&gt;</c>), placed
/// on the canvas, predicted with that copy's puzzle embedding, cropped, mapped back and voted on with
/// <see cref="ArcVotes"/> (most votes, then highest mean sigmoid(q_halt)), giving two attempts per test input.
/// </summary>
public static class ArcSolver
{
    /// <summary>Attempts per test input, as ARC Prize scores them (the evaluator's submission_K).</summary>
    public const int AttemptsPerInput = 2;

    /// <summary>The copies of <paramref name="taskId"/> among a dataset's identifiers (index = puzzle-embedding row).</summary>
    public static IReadOnlyList<ArcCopy> Copies(IReadOnlyList<string> identifiers, string taskId)
    {
        var copies = new List<ArcCopy>();
        for (int row = 0; row < identifiers.Count; row++)
        {
            var name = identifiers[row];
            bool original = name == taskId;
            if (original || name.StartsWith(taskId + ArcAugmentation.Separator, StringComparison.Ordinal))
                copies.Add(new ArcCopy(row, ArcAugmentation.Parse(name).Augmentation, original));
        }
        return copies;
    }

    /// <summary>
    /// The dataset whose <c>identifiers.json</c> names a model's puzzle-embedding rows: <paramref name="dataDirectory"/>
    /// when given, else the first of the run's <c>data_paths</c> that names the task (or the first found).
    /// </summary>
    public static (string Directory, string[] Identifiers) Identifiers(TrainConfig config, string? dataDirectory, string taskId)
    {
        const string reader = "solving an ARC task";
        if (dataDirectory is not null) return (dataDirectory, ArcEvaluator.ReadIdentifiers(dataDirectory, reader));
        var found = config.DataPaths.Where(p => File.Exists(Path.Combine(p, ArcEvaluator.IdentifiersFile))).ToList();
        if (found.Count == 0)
            throw new TrmSettingsException(name => $"the checkpoint's training data ({string.Join(", ", config.DataPaths.Select(Path.GetFullPath))}) has no {ArcEvaluator.IdentifiersFile} " +
                $"here; pass {name(nameof(dataDirectory))}, the ARC dataset directory the model was trained on (its identifiers.json names the puzzles the model knows).");
        var all = found.Select(p => (p, ArcEvaluator.ReadIdentifiers(p, reader))).ToList();
        return all.FirstOrDefault(d => Copies(d.Item2, taskId).Count > 0, all[0]);
    }

    /// <summary>
    /// Predicts every test input of <paramref name="task"/> on every copy in one <see cref="TrmModel.Solve(IReadOnlyList{PuzzleRequest}, SolveOptions?)"/>
    /// call and votes. Identical test inputs share one ballot, as in the reference's evaluator.
    /// </summary>
    public static ArcTaskAnswer Solve(TrmModel model, ArcTask task, IReadOnlyList<ArcCopy> copies, SolveOptions? options = null, int attempts = AttemptsPerInput)
    {
        if (copies.Count == 0) throw new TrmException($"the model knows no copy of task {task.Id}; learn its puzzle embeddings first (ArcTestTimeTraining).");
        model.RequireFits($"ARC task {task.Id}", ArcCanvas.Length, ArcCanvas.VocabSize);
        var tests = task.Puzzle.Test;
        var requests = new List<PuzzleRequest>(tests.Count * copies.Count);
        var canvas = new byte[ArcCanvas.Length];
        foreach (var pair in tests)
            foreach (var copy in copies)
            {
                // As the builder writes test inputs: augmented, at the top-left of the canvas.
                ArcCanvas.Encode(copy.Augmentation.Apply(pair.Input), 0, 0, canvas);
                requests.Add(new PuzzleRequest([.. canvas.Select(t => (int)t)], copy.Identifier));
            }
        var solutions = model.Solve(requests, options);

        var votes = new ArcVotes();
        var inputHashes = tests.Select(p => ArcPuzzleHash.OfGrid(p.Input)).ToList();
        for (int t = 0; t < tests.Count; t++)
            for (int c = 0; c < copies.Count; c++)
            {
                var solution = solutions[t * copies.Count + c];
                votes.Add(task.Id, inputHashes[t], copies[c].Augmentation, ArcCanvas.Decode<int>(solution.Answer), solution.Steps[solution.StepsUsed - 1].HaltProbability);
            }

        int original = copies.ToList().FindIndex(c => c.IsOriginal);
        var answers = new List<ArcTestAnswer>(tests.Count);
        for (int t = 0; t < tests.Count; t++)
        {
            var ranked = votes.Ranked(task.Id, inputHashes[t])!;
            var steps = original < 0 ? [] : solutions[t * copies.Count + original].Steps
                .Select(s => new ArcStep(ArcCanvas.Decode<int>(s.Answer), s.HaltProbability)).ToList();
            answers.Add(new ArcTestAnswer(tests[t].Input, task.Expected[t], votes.Attempts(ranked, attempts),
                [.. ranked.Select(c => new ArcCandidateAnswer(votes.Grid(c.Hash), c.Count, c.MeanConfidence))], ranked.Sum(c => c.Count), steps));
        }
        return new ArcTaskAnswer(task.Id, copies.Count, answers);
    }
}
