using Trm.Puzzles;

namespace Trm.Solving;

/// <summary>
/// What every <see cref="IPuzzleModel"/> does around its <see cref="IStepEngine"/>: checks puzzles and requests against the model's
/// trained sizes, then runs them through the slot recycler (or, with test-time compute, the trajectory sampler) under the halting
/// policy the options ask for. The TorchSharp model and the ONNX Runtime one differ only in the engine.
/// </summary>
public static class EngineSolving
{
    /// <summary>The sizes a trained model takes: its sequence length (0 when the model does not record it), vocabulary, puzzle-embedding
    /// rows and trained supervision steps, and the file it came from (named in refusals).</summary>
    public sealed record ModelSizes(int SeqLen, int VocabSize, int PuzzleIdentifiers, int HaltMaxSteps, string Source);

    /// <summary>Refuses puzzles of a shape the model was not trained on: another length (where known) or vocabulary.</summary>
    public static void RequireFits(PuzzleShape shape, ModelSizes model)
    {
        var problems = new List<string>();
        if (model.SeqLen > 0 && shape.SeqLen != model.SeqLen) problems.Add($"is {shape.SeqLen} tokens, the model was trained on {model.SeqLen}");
        if (shape.VocabSize != model.VocabSize) problems.Add($"has a vocabulary of {shape.VocabSize} tokens, the model {model.VocabSize}");
        if (problems.Count > 0)
            throw new TrmException($"{shape.Description} {string.Join(" and ", problems)} ({model.Source}): this model was trained on other puzzles; use a checkpoint trained on this kind and size.");
    }

    /// <summary>Refuses a sequence length other than the trained one (where known).</summary>
    public static void RequireSeqLen(int seqLen, ModelSizes model)
    {
        if (model.SeqLen > 0 && seqLen != model.SeqLen)
            throw new TrmException($"the puzzles have {seqLen} tokens, the model was trained on {model.SeqLen} ({model.Source}); use a checkpoint trained on puzzles of this size.");
    }

    /// <summary>Refuses requests the model cannot take, before any engine is built: a length other than the trained one (where
    /// known) or than the first request's, a token outside the vocabulary, a puzzle identifier that is not a row of the model.</summary>
    public static void RequireFits(IReadOnlyList<PuzzleRequest> puzzles, ModelSizes model)
    {
        if (puzzles.Count == 0) return;
        int seqLen = puzzles[0].Tokens.Length;
        RequireSeqLen(seqLen, model);
        foreach (var (puzzle, index) in puzzles.Select((p, i) => (p, i)))
        {
            if (puzzle.Tokens.Length != seqLen) throw new TrmException($"puzzle {index} has {puzzle.Tokens.Length} tokens, puzzle 0 has {seqLen}; solve puzzles of one size together.");
            if (puzzle.Tokens.Any(t => t < 0 || t >= model.VocabSize)) throw new TrmException($"puzzle {index} holds a token outside the model's vocabulary [0, {model.VocabSize}).");
            if (puzzle.PuzzleIdentifier < 0 || puzzle.PuzzleIdentifier >= model.PuzzleIdentifiers)
                throw new TrmException($"puzzle {index}: puzzle identifier {puzzle.PuzzleIdentifier} is not in the model's [0, {model.PuzzleIdentifiers}).");
        }
    }

    /// <summary>
    /// Solves <paramref name="puzzles"/> (which <see cref="RequireFits(IReadOnlyList{PuzzleRequest}, ModelSizes)"/> accepted) on
    /// <paramref name="engine"/> in <see cref="SolveOptions.BatchSize"/> slots; solutions in the order asked, each with every step's
    /// answer and halting confidence and why it stopped.
    /// </summary>
    public static Solution[] Solve(IStepEngine engine, IReadOnlyList<PuzzleRequest> puzzles, SolveOptions options, ModelSizes model)
    {

        var solutions = new Solution[puzzles.Count];
        var policy = options.Policy(model.HaltMaxSteps);
        var sampling = options.Compute;
        if (sampling.IsPlain)
            SlotRecycler.Run(engine, puzzles, Math.Min(options.BatchSize, puzzles.Count), policy, keepSteps: true,
                done => solutions[done.Index] = new Solution(done.Answer, done.StepsUsed, done.Steps, done.Stopped));
        else
            TrajectorySampler.Run(engine, puzzles, (int)Math.Min(options.BatchSize, TrajectorySampler.RunCount(puzzles, sampling)), policy, sampling,
                keepSteps: true, sampled => solutions[sampled.Index] = sampled.ToSolution());
        return solutions;
    }
}
