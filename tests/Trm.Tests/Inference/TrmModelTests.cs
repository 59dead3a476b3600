using Trm.Inference;
using Trm.Tests.Training;
using Trm.Training;
using Trm.Solving;

namespace Trm.Tests.Inference;

[Collection(nameof(SequentialTraining))]
public class TrmModelTests
{
    [Fact]
    public void FixedStepAnswersReproduceTheEvaluationAndAdaptiveAnswersComeFromTheHaltingStep()
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));
        var observer = new RecordingObserver();
        using (var trainer = new Trainer(TinyTask.Config(data, dir.File("run"), epochs: 32, evalInterval: 32, ema: false), dir.File("run")))
            trainer.Run(observer);
        var (step, sets) = Assert.Single(observer.Evaluations);

        var (inputs, labels) = TinyTask.TestExamples(data);

        using var model = TrmModel.Load(dir.File($"run/step_{step}"));
        Assert.Equal(6, model.VocabSize);
        var fixedSteps = model.Solve(inputs, new SolveOptions(Adaptive: false));
        Assert.All(fixedSteps, s => Assert.Equal(3, s.StepsUsed));
        double exact = fixedSteps.Zip(labels).Count(p => p.First.Answer.SequenceEqual(p.Second)) / (double)inputs.Count;
        Assert.Equal(sets[0].ExactAccuracy, exact, 12);

        var adaptive = model.Solve(inputs);
        Assert.All(adaptive, s =>
        {
            Assert.InRange(s.StepsUsed, 1, 3);
            Assert.Equal(s.Steps[s.StepsUsed - 1].Answer, s.Answer);
            Assert.True(s.StepsUsed == 3 || s.Steps[s.StepsUsed - 1].HaltProbability > SolveOptions.DefaultHaltThreshold);
            Assert.All(s.Steps.Take(s.StepsUsed - 1), earlier => Assert.True(earlier.HaltProbability <= SolveOptions.DefaultHaltThreshold));
        });

        // The reference's rule q_halt > 0 stops at least as early as the default threshold.
        var early = model.Solve(inputs, new SolveOptions(HaltThreshold: 0.5));
        Assert.All(early.Zip(adaptive), p => Assert.True(p.First.StepsUsed <= p.Second.StepsUsed));
        Assert.All(early, s => Assert.All(s.Steps.Take(s.StepsUsed - 1), earlier => Assert.True(earlier.HaltProbability <= 0.5)));

        // Three slots for all puzzles: finished puzzles hand their slot to waiting ones, whose carry starts fresh,
        // so every answer and step count equals the one from a batch that holds all puzzles at once.
        var recycled = model.Solve(inputs, new SolveOptions(BatchSize: 3));
        Assert.Equal(adaptive.Select(s => s.StepsUsed), recycled.Select(s => s.StepsUsed));
        Assert.All(adaptive.Zip(recycled), p => Assert.Equal(p.First.Answer, p.Second.Answer));
        var recycledFixed = model.Solve(inputs, new SolveOptions(Adaptive: false, BatchSize: 3));
        Assert.All(fixedSteps.Zip(recycledFixed), p => Assert.Equal(p.First.Answer, p.Second.Answer));

        var error = Assert.Throws<TrmException>(() => model.Solve([[1, 2, 3, 4, 5, 1, 2, 3], [1, 2]]));
        Assert.Contains("puzzle 1 has 2 tokens, puzzle 0 has 8", error.Message);
        error = Assert.Throws<TrmException>(() => model.Solve([[1, 2, 3, 4, 5, 1, 2, 9]]));
        Assert.Contains("outside the model's vocabulary [0, 6)", error.Message);
    }
}
