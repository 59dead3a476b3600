using System.Text.Json;
using System.Text.Json.Serialization;
using Trm.Limits;

namespace Trm.Model;

/// <summary>
/// The configuration of a model of any <see cref="Model.Architecture"/>, with the reference's field names (<c>arch</c> section
/// of its <c>all_config.yaml</c>); the fields each architecture has are <see cref="ArchitectureFields.Keys"/>, the others
/// keep that architecture's <see cref="ArchitectureFields.Defaults"/>. <see cref="SeqLen"/>, <see cref="VocabSize"/> and
/// <see cref="NumPuzzleIdentifiers"/> come from the dataset. The batch size is not part of the model: any batch runs through it.
/// </summary>
public sealed record TrmConfig
{
    /// <summary>Written as <c>arch.name</c>, beside the fields.</summary>
    [JsonIgnore] public Architecture Architecture { get; init; } = Architecture.Trm;

    [JsonPropertyName("seq_len")] public int SeqLen { get; init; }
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("num_puzzle_identifiers")] public int NumPuzzleIdentifiers { get; init; } = 1;

    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 512;
    [JsonPropertyName("num_heads")] public int NumHeads { get; init; } = 8;
    [JsonPropertyName("expansion")] public double Expansion { get; init; } = 4;
    [JsonPropertyName("H_cycles")] public int HCycles { get; init; } = 3;
    [JsonPropertyName("L_cycles")] public int LCycles { get; init; } = 6;
    [JsonPropertyName("L_layers")] public int LLayers { get; init; } = 2;
    /// <summary>Layers of HRM's H module and of the transformer baseline; unused by the TRM family (kept so reference configs read unchanged).</summary>
    [JsonPropertyName("H_layers")] public int HLayers { get; init; }

    [JsonPropertyName("pos_encodings")] public PosEncoding PosEncodings { get; init; } = PosEncoding.Rope;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-5;
    /// <summary>Mix along the sequence with an MLP instead of self-attention.</summary>
    [JsonPropertyName("mlp_t")] public bool MlpT { get; init; }

    [JsonPropertyName("puzzle_emb_ndim")] public int PuzzleEmbNdim { get; init; } = 512;
    /// <summary>Positions given to the puzzle embedding; 0 means ceil(puzzle_emb_ndim / hidden_size).</summary>
    [JsonPropertyName("puzzle_emb_len")] public int PuzzleEmbLen { get; init; } = 16;

    [JsonPropertyName("halt_max_steps")] public int HaltMaxSteps { get; init; } = 16;
    [JsonPropertyName("halt_exploration_prob")] public double HaltExplorationProb { get; init; } = 0.1;
    /// <summary>True: halt when q_halt &gt; 0 and train no Q-continue head (the paper's setting).</summary>
    [JsonPropertyName("no_ACT_continue")] public bool NoActContinue { get; init; } = true;

    /// <summary>Transformer baseline: halt by the Q head in training (else always halt_max_steps).</summary>
    [JsonPropertyName("act_enabled")] public bool ActEnabled { get; init; } = true;
    /// <summary>Transformer baseline: halt by the Q head in evaluation too (q_halt &gt; q_continue, no exploration).</summary>
    [JsonPropertyName("act_inference")] public bool ActInference { get; init; }

    [JsonPropertyName("forward_dtype")] public ForwardDtype ForwardDtype { get; init; } = ForwardDtype.BFloat16;

    /// <summary>Positions the puzzle embedding occupies in front of the tokens.</summary>
    [JsonIgnore] public int EffectivePuzzleEmbLen => PuzzleEmbLen == 0 ? (PuzzleEmbNdim + HiddenSize - 1) / HiddenSize : PuzzleEmbLen;

    /// <summary>Length of the latent sequences z_H and z_L: puzzle positions plus tokens.</summary>
    [JsonIgnore] public int TotalSeqLen => SeqLen + EffectivePuzzleEmbLen;

    /// <summary>
    /// Whether training learns the Q-continue head from a bootstrapped target (one more forward per step), as the
    /// architecture's definition says: HRM always, the TRM family with no_ACT_continue false; the transformer baseline never.
    /// </summary>
    [JsonIgnore] public bool LearnsQContinue => Definition.LearnsQContinue(this);

    /// <summary>Head dimension: hidden_size // num_heads, as the reference computes it.</summary>
    [JsonIgnore] public int HeadDim => NumHeads > 0 ? HiddenSize / NumHeads : 0;

    /// <summary>Layers of transformer blocks the model holds, those of its architecture's levels: L_layers, plus H_layers for HRM; H_layers alone for the baseline.</summary>
    [JsonIgnore] public int Blocks => Definition.Blocks(this);

    /// <summary>Latents carried between steps (the architecture's <see cref="ArchitectureDefinition.Latents"/>), each with its initial state in the state dict (H_init, L_init, ...).</summary>
    [JsonIgnore] public int LatentCount => Definition.Latents.Count;

    ArchitectureDefinition Definition => ArchitectureDefinition.Of(Architecture);

    /// <summary>
    /// How many values the model's state dict holds (every weight, the puzzle-embedding table and the initial latents),
    /// counted from the configuration alone, so that sizes read from files (a dataset's <c>vocab_size</c>, a checkpoint's
    /// <c>hidden_size</c>) are checked before the model is built; <see cref="long.MaxValue"/> when the count overflows.
    /// </summary>
    public long StateValues()
    {
        try
        {
            checked
            {
                long d = HiddenSize, v = VocabSize, attention = (long)NumHeads * HeadDim;
                long mixing = MlpT ? 3L * TotalSeqLen * SwiGlu.InterSize(TotalSeqLen, Expansion) : 4 * d * attention;
                long block = mixing + 3 * d * SwiGlu.InterSize(HiddenSize, Expansion);
                return 2 * v * d                                                  // embed_tokens, lm_head
                    + 2 * d + 2                                                   // q_head
                    + (PuzzleEmbNdim > 0 ? (long)NumPuzzleIdentifiers * PuzzleEmbNdim : 0)
                    + (PosEncodings == PosEncoding.Learned ? TotalSeqLen * d : 0)   // embed_pos
                    + Blocks * block
                    + LatentCount * d;
            }
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>What makes the model as large as <see cref="StateValues"/>, field by field, for messages.</summary>
    public string DescribeSize() =>
        $"embed_tokens and lm_head: vocab_size {VocabSize} x hidden_size {HiddenSize} each" +
        (PuzzleEmbNdim > 0 ? $"; puzzle_emb: num_puzzle_identifiers {NumPuzzleIdentifiers} x puzzle_emb_ndim {PuzzleEmbNdim}" : "") +
        $"; {Blocks} layers of hidden_size {HiddenSize}, expansion {Expansion}{(MlpT ? $", mlp_t over {TotalSeqLen} positions" : "")}";

    /// <summary>
    /// Refuses, before anything is allocated, a model whose float32 values alone exceed <paramref name="memoryBytes"/>
    /// (the machine's memory): a setting or a file declaring an absurd size ends with a message, not an allocation failure.
    /// </summary>
    public TrmConfig RequireFits(long memoryBytes)
    {
        long values = StateValues();
        if (values > memoryBytes / sizeof(float))
            throw new TrmException($"a model of {(values == long.MaxValue ? "more than 9.2e18" : $"{values:N0}")} values needs {values * (double)sizeof(float) / 1e9:#,0.#} GB " +
                $"in float32, more than this machine's {memoryBytes / 1e9:F1} GB of memory ({DescribeSize()}). Lower hidden_size, expansion or the layers, " +
                "or check vocab_size and num_puzzle_identifiers in the dataset's dataset.json.");
        return this;
    }

    /// <summary>Checks every field; throws a <see cref="TrmException"/> listing all problems.</summary>
    public TrmConfig Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new TrmException("Invalid model configuration: " + string.Join("; ", problems) + ".");
        return this;
    }

    /// <summary>Every problem of the fields: each against its declared range (named with <paramref name="prefix"/>, e.g. <c>arch.</c>),
    /// then what they must satisfy together.</summary>
    public List<string> Problems(string prefix = "")
    {
        var problems = UserLimits.Problems(UserLimits.Arch, JsonSerializer.SerializeToNode(this)!.AsObject(), prefix).Select(p => $"{p.Setting} {p.Problem}").ToList();
        void Require(bool ok, string problem) { if (!ok) problems.Add(problem); }

        if (HiddenSize > 0)   // the fields together (a hidden_size of 0 divides nothing)
        {
            Require(NumHeads < 1 || HeadDim >= 1, $"num_heads must be between 1 and hidden_size ({HiddenSize}) (is {NumHeads})");
            Require(HeadDim < 1 || HeadDim % 2 == 0 || PosEncodings != PosEncoding.Rope,
                $"rotary positions need an even head dimension (hidden_size // num_heads = {HeadDim})");
            problems.AddRange(Definition.Problems(this));
            Require(PuzzleEmbNdim <= (long)EffectivePuzzleEmbLen * HiddenSize,
                $"puzzle_emb_ndim ({PuzzleEmbNdim}) must fit in puzzle_emb_len x hidden_size ({EffectivePuzzleEmbLen} x {HiddenSize})");
            Require(PuzzleEmbNdim > 0 || EffectivePuzzleEmbLen == 0,
                $"puzzle_emb_len must be 0 when puzzle_emb_ndim is 0 (is {PuzzleEmbLen}): there is no puzzle embedding to place");
        }

        return problems;
    }
}
