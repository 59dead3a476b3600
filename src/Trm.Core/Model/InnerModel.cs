using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// One supervision step of any architecture: embed the puzzle, run the architecture's <see cref="Recursion"/> on the
/// carried latents, then read the answer (lm_head) and the halting Q values (q_head on the first position) from the
/// answer state. The parts every architecture shares live here, under the reference's state-dict names.
/// </summary>
public sealed class InnerModel : nn.Module
{
    [ComponentName(Name = "embed_tokens")] private readonly CastedEmbedding embedTokens;
    [ComponentName(Name = "lm_head")] private readonly CastedLinear lmHead;
    [ComponentName(Name = "q_head")] private readonly CastedLinear qHead;
    [ComponentName(Name = "puzzle_emb")] private readonly SparsePuzzleEmbedding? puzzleEmb;
    [ComponentName(Name = "rotary_emb")] private readonly RotaryEmbedding? rotaryEmb;
    [ComponentName(Name = "embed_pos")] private readonly CastedEmbedding? embedPos;
    private readonly Recursion recursion;

    private readonly TrmConfig config;
    private readonly ScalarType dtype;
    private readonly double embedScale;

    public InnerModel(TrmConfig config) : base(nameof(InnerModel))
    {
        this.config = config.Validate().RequireFits(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        dtype = config.ForwardDtype.ToScalarType();
        embedScale = Math.Sqrt(config.HiddenSize);
        var embedInitStd = 1.0 / embedScale;

        embedTokens = new CastedEmbedding(config.VocabSize, config.HiddenSize, embedInitStd, dtype);
        lmHead = new CastedLinear(config.HiddenSize, config.VocabSize, bias: false);
        qHead = new CastedLinear(config.HiddenSize, 2, bias: true);
        if (config.PuzzleEmbNdim > 0)
            puzzleEmb = new SparsePuzzleEmbedding(config.NumPuzzleIdentifiers, config.PuzzleEmbNdim, dtype);
        if (config.PosEncodings == PosEncoding.Rope)
            rotaryEmb = new RotaryEmbedding(config.HeadDim, config.TotalSeqLen, config.RopeTheta);
        else if (config.PosEncodings == PosEncoding.Learned)
            embedPos = new CastedEmbedding(config.TotalSeqLen, config.HiddenSize, embedInitStd, dtype);
        recursion = Recursion.For(config);
        // The reference's initial states: one truncated-normal vector per latent, drawn in carry order after the layers.
        var inits = recursion.Latents.Select(_ => TruncatedNormal.Sample([config.HiddenSize], 1.0).to(dtype)).ToArray();

        // Q head starts at (almost) "never halt" so bootstrapping is not cut short.
        using (no_grad())
        {
            qHead.Weight.zero_();
            qHead.Bias!.fill_(-5);
        }
        RegisterComponents();
        foreach (var (name, level) in recursion.Levels) register_module(name, level);
        foreach (var (latent, init) in recursion.Latents.Zip(inits)) register_buffer(Recursion.InitName(latent), init);
    }

    public TrmConfig Config => config;
    public SparsePuzzleEmbedding? PuzzleEmbedding => puzzleEmb;

    /// <summary>The architecture's recursion, whose levels this model holds.</summary>
    public Recursion Recursion => recursion;
    /// <summary>sqrt(hidden_size): the input embeddings' factor.</summary>
    public double EmbedScale => embedScale;
    /// <summary>1/sqrt(2), applied to token embeddings plus learned positions (keeps the variance).</summary>
    public const double LearnedPositionScale = 0.707106781;
    public CastedEmbedding TokenEmbedding => embedTokens;
    /// <summary>Learned positions (pos_encodings learned), else null.</summary>
    public CastedEmbedding? PositionEmbedding => embedPos;
    /// <summary>Rotary positions (pos_encodings rope), else null.</summary>
    public RotaryEmbedding? Rotary => rotaryEmb;
    public CastedLinear LmHead => lmHead;
    /// <summary>(2, hidden) with bias: q_halt, then q_continue.</summary>
    public CastedLinear QHead => qHead;

    /// <summary>A latent's initial state (hidden), which a reset slot restarts from.</summary>
    public Tensor InitialState(string latent) => get_buffer(Recursion.InitName(latent))!;

    /// <summary>The carry's latents by the reference's names, in <see cref="InnerCarry.States"/> order.</summary>
    public IReadOnlyList<string> Latents => recursion.Latents;

    /// <summary>Zero latents for a batch; every slot starts halted, so they are replaced before use.</summary>
    public InnerCarry EmptyCarry(long batchSize, Device device)
    {
        long[] shape = [batchSize, config.TotalSeqLen, config.HiddenSize];
        return new InnerCarry(recursion.Latents, recursion.Latents.Select(_ => zeros(shape, dtype, device)).ToArray());
    }

    /// <summary>Slots where <paramref name="reset"/> (B) is true restart from the initial states (H_init, L_init, ...).</summary>
    public InnerCarry ResetCarry(Tensor reset, InnerCarry carry)
    {
        var mask = reset.view(-1, 1, 1);
        return new InnerCarry(recursion.Latents, carry.States.Select((state, i) => where(mask, InitialState(recursion.Latents[i]), state)).ToArray());
    }

    /// <summary>One supervision step. Returns the detached new carry, logits (B, seq_len, vocab) and Q logits (B) each, float32.</summary>
    public (InnerCarry Carry, Tensor Logits, Tensor QHalt, Tensor QContinue) Forward(InnerCarry carry, TrmBatch batch)
    {
        RotaryTables? rotary = rotaryEmb?.Tables;
        using var weightCasts = new WeightCastCache(recursion.Levels.Select(l => (nn.Module)l.Level), dtype);
        var input = InputEmbeddings(batch.Inputs, batch.PuzzleIdentifiers);   // (B, L, D)
        var z = recursion.Run(carry.States.ToArray(), input, new TensorLatentOps(rotary));
        var answer = z[0];

        var puzzleLen = config.EffectivePuzzleEmbLen;
        var logits = lmHead.forward(answer.narrow(1, puzzleLen, config.SeqLen));   // (B, seq_len, vocab)
        var q = qHead.forward(answer.select(1, 0)).to(ScalarType.Float32);         // (B, 2)
        return (new InnerCarry(recursion.Latents, z.Select(state => state.detach()).ToArray()), logits, q.select(-1, 0), q.select(-1, 1));
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
            embedding = LearnedPositionScale * (embedding + embedPos.CastWeight());
        return embedScale * embedding;
    }
}
