using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Trm.IO;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Verification;

/// <summary>Optimizer settings recorded in a fixture manifest.</summary>
public sealed record OptimizerSettings(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("lr")] double Lr,
    [property: JsonPropertyName("weight_decay")] double WeightDecay,
    [property: JsonPropertyName("beta1")] double Beta1 = 0.9,
    [property: JsonPropertyName("beta2")] double Beta2 = 0.95);

/// <summary>
/// The <c>manifest.json</c> of a reference fixture folder. <see cref="ReferenceSpread"/> and <see cref="ReferenceFlips"/>
/// (absent in older folders) are how far the reference moves itself per array when its weights move by one ulp.
/// </summary>
public sealed record ReferenceManifest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("arch")] string? Arch,
    [property: JsonPropertyName("config")] JsonObject ConfigFields,
    [property: JsonPropertyName("eval_steps")] int EvalSteps,
    [property: JsonPropertyName("optimizer")] OptimizerSettings Optimizer,
    [property: JsonPropertyName("puzzle_emb_optimizer")] OptimizerSettings PuzzleEmbOptimizer,
    [property: JsonPropertyName("loss")] LossType Loss,
    [property: JsonPropertyName("reference_spread")] Dictionary<string, double>? ReferenceSpread = null,
    [property: JsonPropertyName("reference_flips")] Dictionary<string, long>? ReferenceFlips = null)
{
    /// <summary><c>arch</c> (short or reference name); TRM when the manifest predates the field.</summary>
    public Architecture Architecture => Arch is null ? Architecture.Trm : ArchitectureNames.Parse(Arch);

    /// <summary>The model: the architecture's fields from <c>config</c>, with the data sizes it records (its batch_size and seed are the fixture's, not the model's).</summary>
    public TrmConfig Config
    {
        get
        {
            var fields = ConfigFields.DeepClone().AsObject();
            int Take(string key) => fields.Remove(key, out var value) && value is not null ? value.GetValue<int>() : 0;
            var (seqLen, vocabSize, puzzleIds) = (Take("seq_len"), Take("vocab_size"), Take("num_puzzle_identifiers"));
            fields.Remove("batch_size");
            fields.Remove("seed");
            return ArchitectureFields.Read(Architecture, fields, new JsonSerializerOptions()) with
            {
                SeqLen = seqLen, VocabSize = vocabSize, NumPuzzleIdentifiers = puzzleIds,
            };
        }
    }
}

/// <summary>
/// A folder of test vectors computed by the paper's PyTorch code: manifest.json, checkpoint.pt,
/// checkpoint_compiled.pt (same tensors, <c>_orig_mod.</c> keys) and vectors.npz.
/// </summary>
public sealed class ReferenceFixture(string directory, ReferenceManifest manifest, Dictionary<string, Tensor> vectors)
{
    public string Directory { get; } = directory;
    public ReferenceManifest Manifest { get; } = manifest;
    public IReadOnlyDictionary<string, Tensor> Vectors { get; } = vectors;

    public string CheckpointPath => Path.Combine(Directory, "checkpoint.pt");
    public string CompiledCheckpointPath => Path.Combine(Directory, "checkpoint_compiled.pt");

    public static ReferenceFixture Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new TrmException($"{directory}: fixture folder not found.");
        var manifest = JsonFile.Read<ReferenceManifest>(Path.Combine(directory, "manifest.json"), "a fixture manifest",
            "a fixture folder holds manifest.json, checkpoint.pt and vectors.npz.");
        try
        {
            manifest.Config.Validate();
        }
        catch (JsonException e)
        {
            throw new TrmException($"{directory}/manifest.json: config{(e.Path is { Length: > 1 } p ? p[1..] : "")} {e.Message}.");
        }
        return new ReferenceFixture(directory, manifest, NpzArchive.ReadAll(Path.Combine(directory, "vectors.npz")));
    }

    /// <summary>The array named <paramref name="key"/>; throws naming the fixture if it is absent.</summary>
    public Tensor Get(string key) =>
        Vectors.TryGetValue(key, out var t) ? t : throw new TrmException($"{Directory}/vectors.npz has no array '{key}'.");

    public TrmBatch Batch() => new(
        Get("batch.inputs").to(ScalarType.Int32),
        Get("batch.labels").to(ScalarType.Int64),
        Get("batch.puzzle_identifiers").to(ScalarType.Int32));
}
