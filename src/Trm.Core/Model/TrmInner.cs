using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// One supervision step of TRM: embed the puzzle, recurse on z_L (L_cycles times) and z_H
/// (once) per H cycle, all H cycles but the last without gradient, then read the answer (lm_head)
/// and the halting Q values (q_head on the first position).
/// </summary>
public sealed class TrmInner : nn.Module
{
    [ComponentName(Name = "embed_tokens")] private readonly CastedEmbedding embedTokens;
    [ComponentName(Name = "lm_head")] private readonly CastedLinear lmHead;
    [ComponentName(Name = "q_head")] private readonly CastedLinear qHead;
    [ComponentName(Name = "puzzle_emb")] private readonly SparsePuzzleEmbedding? puzzleEmb;
    [ComponentName(Name = "rotary_emb")] private readonly RotaryEmbedding? rotaryEmb;
    [ComponentName(Name = "embed_pos")] private readonly CastedEmbedding? embedPos;
    [ComponentName(Name = "L_level")] private readonly ReasoningModule lLevel;
    [ComponentName(Name = "H_init")] private readonly Tensor hInit;
    [ComponentName(Name = "L_init")] private readonly Tensor lInit;

    private readonly TrmConfig config;
    private readonly ScalarType dtype;
    private readonly double embedScale;

    public TrmInner(TrmConfig config) : base(nameof(TrmInner))
    {
        this.config = config.Validate();
        dtype = config.ForwardDtype.ToScalarType();
        embedScale = Math.Sqrt(config.HiddenSize);
        var embedInitStd = 1.0 / embedScale;

        embedTokens = new CastedEmbedding(config.VocabSize, config.HiddenSize, embedInitStd, dtype);
        lmHead = new CastedLinear(config.HiddenSize, config.VocabSize, bias: false);
        qHead = new CastedLinear(config.HiddenSize, 2, bias: true);
        if (config.PuzzleEmbNdim > 0)
            puzzleEmb = new SparsePuzzleEmbedding(config.NumPuzzleIdentifiers, config.PuzzleEmbNdim, dtype);
        if (config.PosEncodings == PosEncoding.Rope)
            rotaryEmb = new RotaryEmbedding(config.HiddenSize / config.NumHeads, config.TotalSeqLen, config.RopeTheta);
        else if (config.PosEncodings == PosEncoding.Learned)
            embedPos = new CastedEmbedding(config.TotalSeqLen, config.HiddenSize, embedInitStd, dtype);
        lLevel = new ReasoningModule(config);
        hInit = TruncatedNormal.Sample([config.HiddenSize], 1.0).to(dtype);
        lInit = TruncatedNormal.Sample([config.HiddenSize], 1.0).to(dtype);

        // Q head starts at (almost) "never halt" so bootstrapping is not cut short.
        using (no_grad())
        {
            qHead.Weight.zero_();
            qHead.Bias!.fill_(-5);
        }
        RegisterComponents();
    }

    public TrmConfig Config => config;
    public SparsePuzzleEmbedding? PuzzleEmbedding => puzzleEmb;

    /// <summary>Zero latents for a batch; every slot starts halted, so they are replaced before use.</summary>
    public InnerCarry EmptyCarry(long batchSize, Device device)
    {
        long[] shape = [batchSize, config.TotalSeqLen, config.HiddenSize];
        return new InnerCarry(zeros(shape, dtype, device), zeros(shape, dtype, device));
    }

    /// <summary>Slots where <paramref name="reset"/> (B) is true restart from H_init / L_init.</summary>
    public InnerCarry ResetCarry(Tensor reset, InnerCarry carry)
    {
        var mask = reset.view(-1, 1, 1);
        return new InnerCarry(where(mask, hInit, carry.ZH), where(mask, lInit, carry.ZL));
    }

    /// <summary>One supervision step. Returns the detached new carry, logits (B, seq_len, vocab) and Q logits (B) each, float32.</summary>
    public (InnerCarry Carry, Tensor Logits, Tensor QHalt, Tensor QContinue) Forward(InnerCarry carry, TrmBatch batch)
    {
        RotaryTables? rotary = rotaryEmb?.Tables;
        using var weightCasts = new WeightCastCache(lLevel, dtype);
        var input = InputEmbeddings(batch.Inputs, batch.PuzzleIdentifiers);   // (B, L, D)
        Tensor zH = carry.ZH, zL = carry.ZL;

        using (no_grad())
        {
            for (int h = 0; h < config.HCycles - 1; h++)
            {
                for (int l = 0; l < config.LCycles; l++) zL = Pass(zL, zH + input, rotary);
                zH = Pass(zH, zL, rotary);
            }
        }
        for (int l = 0; l < config.LCycles; l++) zL = Pass(zL, zH + input, rotary);
        zH = Pass(zH, zL, rotary);

        var puzzleLen = config.EffectivePuzzleEmbLen;
        var logits = lmHead.forward(zH.narrow(1, puzzleLen, config.SeqLen));   // (B, seq_len, vocab)
        var q = qHead.forward(zH.select(1, 0)).to(ScalarType.Float32);         // (B, 2)
        return (new InnerCarry(zH.detach(), zL.detach()), logits, q.select(-1, 0), q.select(-1, 1));
    }

    /// <summary>
    /// One pass of the network. Without gradients its intermediates (attention weights, MLP activations) are freed as
    /// soon as it returns; otherwise the caller's dispose scope would hold those of every pass of the step (H_cycles x
    /// (L_cycles + 1) of them: about 2.4 GB per sequence for the paper's ARC model) until the step ends.
    /// </summary>
    Tensor Pass(Tensor hidden, Tensor injection, RotaryTables? rotary)
    {
        if (is_grad_enabled()) return lLevel.forward(hidden, injection, rotary);
        using var scope = NewDisposeScope();
        return lLevel.forward(hidden, injection, rotary).MoveToOuterDisposeScope();
    }

    // tokens (B, seq_len), ids (B) -> sqrt(hidden) * [puzzle rows; token embeddings] (B, L, D)
    Tensor InputEmbeddings(Tensor tokens, Tensor puzzleIds)
    {
        var embedding = embedTokens.forward(tokens.to(ScalarType.Int32));
        if (puzzleEmb is not null)
        {
            var rows = puzzleEmb.forward(puzzleIds);                                          // (B, ndim)
            var padCount = config.EffectivePuzzleEmbLen * config.HiddenSize - config.PuzzleEmbNdim;
            if (padCount > 0) rows = nn.functional.pad(rows, [0, padCount]);
            embedding = cat([rows.view(-1, config.EffectivePuzzleEmbLen, config.HiddenSize), embedding], -2);
        }
        if (embedPos is not null)
            embedding = 0.707106781 * (embedding + embedPos.CastWeight());   // 1/sqrt(2) keeps the variance
        return embedScale * embedding;
    }
}
