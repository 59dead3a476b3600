namespace Trm.Export;

/// <summary>
/// What an exported supervision step promises a solver (docs/onnx.md): the names of its inputs and outputs, the batch
/// dimension's name and the metadata keys. Version <see cref="Version"/>; a change of any name or meaning raises it.
/// </summary>
/// <remarks>
/// Inputs: each latent by its reference name (<c>z_H</c>, <c>z_L</c>, ...; <c>trm.latents</c> lists them in order), float32
/// (B, puzzle_emb_len + seq_len, hidden); <see cref="Reset"/> bool (B); <see cref="Inputs"/> int32 (B, seq_len);
/// <see cref="PuzzleIdentifiers"/> int32 (B). Outputs: each latent's next value (<c>z_H_next</c>, ...), <see cref="Logits"/>
/// float32 (B, seq_len, vocab), <see cref="QHaltLogits"/> and <see cref="QContinueLogits"/> float32 (B).
/// </remarks>
public static class OnnxContract
{
    public const int Version = 1;

    /// <summary>The batch dimension's <c>dim_param</c>: any batch size runs.</summary>
    public const string BatchDim = "batch";

    public const string Reset = "reset", Inputs = "inputs", PuzzleIdentifiers = "puzzle_identifiers";
    public const string Logits = "logits", QHaltLogits = "q_halt_logits", QContinueLogits = "q_continue_logits";

    /// <summary>The output holding a latent's value after the step: <c>z_H</c> -> <c>z_H_next</c>.</summary>
    public static string Next(string latent) => latent + "_next";

    /// <summary>Metadata keys (ModelProto.metadata_props), each a string value.</summary>
    public static class Keys
    {
        /// <summary><see cref="Version"/>, as a decimal number.</summary>
        public const string ContractVersion = "trm.contract_version";
        /// <summary>The architecture's short name: trm, hrm, trm_singlez, trm_hier6, transformers_baseline.</summary>
        public const string Architecture = "trm.architecture";
        /// <summary>The latent inputs in carry order, comma-separated (the answer state first).</summary>
        public const string Latents = "trm.latents";
        public const string SeqLen = "trm.seq_len", VocabSize = "trm.vocab_size", NumPuzzleIdentifiers = "trm.num_puzzle_identifiers";
        /// <summary>Positions the puzzle embedding occupies before the tokens in each latent.</summary>
        public const string PuzzleEmbLen = "trm.puzzle_emb_len";
        public const string HiddenSize = "trm.hidden_size";
        /// <summary>The trained number of supervision steps (the reference's evaluation runs exactly this many).</summary>
        public const string HaltMaxSteps = "trm.halt_max_steps";
        /// <summary>"true" where the trained halting rule is q_halt &gt; 0 (no Q-continue head learned), "false" where it is q_halt &gt; q_continue.</summary>
        public const string NoActContinue = "trm.no_ACT_continue";
        /// <summary>The dtype the model was trained to compute in; the graph computes in float32.</summary>
        public const string TrainedForwardDtype = "trm.trained_forward_dtype";
        /// <summary>The model's configuration as JSON: <c>name</c> (the reference's class), the architecture's fields and the data sizes.</summary>
        public const string Config = "trm.config";
        /// <summary>The datasets it was trained on (JSON array of the run's data_paths; empty when not known).</summary>
        public const string DataPaths = "trm.data_paths";
        /// <summary>The weights file exported (its folder and name).</summary>
        public const string Weights = "trm.weights";
    }
}
