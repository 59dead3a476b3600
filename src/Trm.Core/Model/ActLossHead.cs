using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>The result of one supervision step with its loss: the summed loss (float64 scalar) and summed metrics.</summary>
public sealed record StepResult(ActCarry Carry, Tensor Loss, StepMetrics Metrics, ActOutputs Outputs, Tensor Predictions)
{
    public bool AllHalted => Carry.Halted.all().item<bool>();
}

/// <summary>
/// Sums over the sequences that halted this step (and have labels): count, token accuracy (per
/// sequence, averaged over its labelled positions), exact accuracy, whether q_halt &gt;= 0 agreed with
/// exactness, and steps taken; plus the step's losses.
/// </summary>
public sealed record StepMetrics(Tensor Count, Tensor Accuracy, Tensor ExactAccuracy, Tensor QHaltAccuracy, Tensor Steps,
    Tensor LmLoss, Tensor QHaltLoss, Tensor? QContinueLoss)
{
    public IEnumerable<(string Name, Tensor Value)> Named()
    {
        yield return ("count", Count);
        yield return ("accuracy", Accuracy);
        yield return ("exact_accuracy", ExactAccuracy);
        yield return ("q_halt_accuracy", QHaltAccuracy);
        yield return ("steps", Steps);
        yield return ("lm_loss", LmLoss);
        yield return ("q_halt_loss", QHaltLoss);
        if (QContinueLoss is not null) yield return ("q_continue_loss", QContinueLoss);
    }
}

/// <summary>
/// Wraps the ACT model with the training loss: token loss normalised per sequence, plus
/// 0.5 x (BCE of q_halt against "sequence exactly right" + the Q-continue bootstrap term when enabled).
/// Its state dict names are the reference's (<c>model.inner.*</c>).
/// </summary>
public sealed class ActLossHead : nn.Module
{
    public const long IgnoreLabelId = -100;

    private readonly TrmAct model;
    private readonly Func<Tensor, Tensor, Tensor, Tensor> lossFunction;

    public ActLossHead(TrmConfig config, string lossType = LossFunctions.StablemaxCrossEntropy) : base(nameof(ActLossHead))
    {
        lossFunction = LossFunctions.ByName(lossType);
        model = new TrmAct(config);
        RegisterComponents();
    }

    public TrmAct Model => model;
    public TrmConfig Config => model.Config;

    public ActCarry InitialCarry(TrmBatch batch) => model.InitialCarry(batch);

    public StepResult Forward(ActCarry carry, TrmBatch batch)
    {
        var (newCarry, outputs) = model.Forward(carry, batch);
        var labels = newCarry.CurrentData.Labels;

        Tensor predictions, mask, lossDivisor, seqIsCorrect;
        Tensor count, accuracy, exactAccuracy, qHaltAccuracy, steps;
        using (no_grad())
        {
            predictions = outputs.Logits.argmax(-1);
            mask = labels != IgnoreLabelId;
            var lossCounts = mask.sum(-1);
            lossDivisor = lossCounts.clamp_min(1).unsqueeze(-1);
            var isCorrect = mask & (predictions == labels);
            seqIsCorrect = isCorrect.sum(-1) == lossCounts;

            var valid = newCarry.Halted & (lossCounts > 0);
            count = valid.sum();
            var perSequence = (isCorrect.to(ScalarType.Float32) / lossDivisor).sum(-1);
            accuracy = where(valid, perSequence, zeros_like(perSequence)).sum();
            exactAccuracy = (valid & seqIsCorrect).sum();
            qHaltAccuracy = (valid & ((outputs.QHaltLogits >= 0) == seqIsCorrect)).sum();
            steps = where(valid, newCarry.Steps, zeros_like(newCarry.Steps)).sum();
        }

        var lmLoss = (lossFunction(outputs.Logits, labels, mask) / lossDivisor).sum();
        var qHaltLoss = nn.functional.binary_cross_entropy_with_logits(
            outputs.QHaltLogits, seqIsCorrect.to(outputs.QHaltLogits.dtype), reduction: nn.Reduction.Sum);
        Tensor? qContinueLoss = outputs.TargetQContinue is null ? null
            : nn.functional.binary_cross_entropy_with_logits(outputs.QContinueLogits, outputs.TargetQContinue, reduction: nn.Reduction.Sum);

        var loss = lmLoss + 0.5 * (qContinueLoss is null ? qHaltLoss : qHaltLoss + qContinueLoss);
        var metrics = new StepMetrics(count, accuracy, exactAccuracy, qHaltAccuracy, steps,
            lmLoss.detach(), qHaltLoss.detach(), qContinueLoss?.detach());
        return new StepResult(newCarry, loss, metrics, outputs, predictions);
    }
}
