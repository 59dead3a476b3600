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
/// exactness, and steps taken (<see cref="AnswerCheck.Sums"/>); plus the step's losses. As numbers: <see cref="ActMetrics.Of"/>.
/// </summary>
public sealed record StepMetrics(Tensor Count, Tensor Accuracy, Tensor ExactAccuracy, Tensor QHaltAccuracy, Tensor Steps,
    Tensor LmLoss, Tensor QHaltLoss, Tensor? QContinueLoss);

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

    public ActLossHead(TrmConfig config, LossType lossType = LossType.StablemaxCrossEntropy) : base(nameof(ActLossHead))
    {
        lossFunction = LossFunctions.Of(lossType);
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

        Tensor predictions;
        AnswerCheck check;
        Tensor count, accuracy, exactAccuracy, qHaltAccuracy, steps;
        using (no_grad())
        {
            predictions = outputs.Logits.argmax(-1);
            check = AnswerCheck.Of(predictions, labels);
            (count, accuracy, exactAccuracy, qHaltAccuracy, steps) = check.Sums(newCarry.Halted, outputs.QHaltLogits, newCarry.Steps);
        }
        var (mask, lossDivisor, seqIsCorrect) = (check.Mask, check.Divisor, check.SeqIsCorrect);

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
