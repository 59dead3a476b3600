using Trm.Configuration;
using Trm.Evaluation;
using Trm.Puzzles.Arc;
using Trm.Solving;

namespace Trm.Inference;

/// <summary>
/// Solves ARC tasks the model was trained on (<see cref="ArcTaskPuzzle"/>: every copy of the task the model knows, voted),
/// finding the copies in the dataset the model was trained on.
/// </summary>
public static class ArcSolver
{
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
        return all.FirstOrDefault(d => ArcCopy.Among(d.Item2, taskId).Count > 0, all[0]);
    }

    /// <summary>Predicts every test input of <paramref name="task"/> on every copy in one batch stream and votes (<see cref="ArcTaskPuzzle"/>).</summary>
    public static ArcTaskAnswer Solve(TrmModel model, ArcTask task, IReadOnlyList<ArcCopy> copies, SolveOptions? options = null, int attempts = ArcTaskPuzzle.AttemptsPerInput) =>
        PuzzleSolving.Solve(model, [new ArcTaskPuzzle(task, copies, attempts)], options)[0];
}
