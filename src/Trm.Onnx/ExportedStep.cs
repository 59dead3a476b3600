using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Trm.Export;

namespace Trm.Onnx;

/// <summary>
/// A supervision step exported by <c>trm export onnx</c>, opened in ONNX Runtime and checked against the graph contract
/// (<see cref="OnnxContract"/>, docs/onnx.md): its metadata (contract version, latents, sizes) and every input and output the
/// contract names, with its element type and shape. A file that is not ONNX, is cut short, or is an ONNX model of something else is
/// refused with a <see cref="TrmException"/> of one line that names the file.
/// </summary>
public sealed class ExportedStep : IDisposable
{
    /// <summary>The file, as given.</summary>
    public string File { get; }
    /// <summary>The session that runs the step (ONNX Runtime's CPU provider).</summary>
    public InferenceSession Session { get; }
    /// <summary><c>trm.architecture</c>: trm, hrm, trm_singlez, trm_hier6 or transformers_baseline.</summary>
    public string Architecture { get; }
    /// <summary>The latent inputs in carry order, answer state first (<c>z_H</c>, <c>z_L</c>, ...).</summary>
    public IReadOnlyList<string> Latents { get; }
    /// <summary><c>trm.seq_len</c>: the tokens of a puzzle, the graph's one sequence length.</summary>
    public int SeqLen { get; }
    /// <summary><c>trm.vocab_size</c>: every token is below it.</summary>
    public int VocabSize { get; }
    /// <summary><c>trm.num_puzzle_identifiers</c>: every puzzle identifier is below it.</summary>
    public int NumPuzzleIdentifiers { get; }
    /// <summary><c>trm.puzzle_emb_len</c>: positions of the puzzle embedding before the tokens in each latent.</summary>
    public int PuzzleEmbLen { get; }
    /// <summary><c>trm.hidden_size</c>: the latents' last dimension D.</summary>
    public int HiddenSize { get; }
    /// <summary><c>trm.halt_max_steps</c>: the trained number of supervision steps.</summary>
    public int HaltMaxSteps { get; }
    /// <summary>Whether the trained halting rule is q_halt &gt; 0 (no Q-continue head learned).</summary>
    public bool NoActContinue { get; }
    /// <summary>What the model computed in when trained; the graph computes in float32.</summary>
    public string TrainedForwardDtype { get; }

    /// <summary>The latents' positions: puzzle_emb_len + seq_len.</summary>
    public int Positions => PuzzleEmbLen + SeqLen;

    ExportedStep(string file, InferenceSession session, IReadOnlyDictionary<string, string> metadata)
    {
        (File, Session) = (file, session);
        string Text(string key) => metadata.TryGetValue(key, out var value) ? value : throw Refused($"its metadata has no {key}");
        int Count(string key, int minimum) => int.TryParse(Text(key), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= minimum
            ? value : throw Refused($"its metadata's {key} is '{Text(key)}', not a whole number of at least {minimum}");

        Architecture = Text(OnnxContract.Keys.Architecture);
        Latents = Text(OnnxContract.Keys.Latents).Split(',');
        SeqLen = Count(OnnxContract.Keys.SeqLen, 1);
        VocabSize = Count(OnnxContract.Keys.VocabSize, 1);
        NumPuzzleIdentifiers = Count(OnnxContract.Keys.NumPuzzleIdentifiers, 1);
        PuzzleEmbLen = Count(OnnxContract.Keys.PuzzleEmbLen, 0);
        HiddenSize = Count(OnnxContract.Keys.HiddenSize, 1);
        HaltMaxSteps = Count(OnnxContract.Keys.HaltMaxSteps, 1);
        NoActContinue = Text(OnnxContract.Keys.NoActContinue) switch
        {
            "true" => true,
            "false" => false,
            var other => throw Refused($"its metadata's {OnnxContract.Keys.NoActContinue} is '{other}', not true or false"),
        };
        TrainedForwardDtype = Text(OnnxContract.Keys.TrainedForwardDtype);

        long[] latent = [-1, Positions, HiddenSize];
        var inputs = Latents.Select(name => (name, TensorElementType.Float, latent))
            .Append((OnnxContract.Reset, TensorElementType.Bool, [-1]))
            .Append((OnnxContract.Inputs, TensorElementType.Int32, [-1, SeqLen]))
            .Append((OnnxContract.PuzzleIdentifiers, TensorElementType.Int32, [-1]));
        var outputs = Latents.Select(name => (OnnxContract.Next(name), TensorElementType.Float, latent))
            .Append((OnnxContract.Logits, TensorElementType.Float, [-1, SeqLen, VocabSize]))
            .Append((OnnxContract.QHaltLogits, TensorElementType.Float, [-1]))
            .Append((OnnxContract.QContinueLogits, TensorElementType.Float, [-1]));
        RequireNodes("input", session.InputMetadata, [.. inputs]);
        RequireNodes("output", session.OutputMetadata, [.. outputs]);
    }

    /// <summary>Opens and checks <paramref name="path"/>. <paramref name="threads"/>: ONNX Runtime's threads within an operator (0: its
    /// default, one per physical core).</summary>
    public static ExportedStep Open(string path, int threads = 0)
    {
        if (!System.IO.File.Exists(path)) throw new TrmException($"{path} not found: pass an .onnx file that trm export onnx wrote.");
        using var options = new SessionOptions { IntraOpNumThreads = threads, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new TrmException($"{path}: ONNX Runtime cannot load it ({OneLine(e.Message)}); pass an .onnx file that trm export onnx wrote, whole.", e);
        }
        try
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            if (!metadata.TryGetValue(OnnxContract.Keys.ContractVersion, out var version))
                throw new TrmException($"{path}: an ONNX model, but not a TRM step (no {OnnxContract.Keys.ContractVersion} in its metadata); pass a file that trm export onnx wrote.");
            if (version != OnnxContract.Version.ToString(CultureInfo.InvariantCulture))
                throw new TrmException($"{path}: a TRM step of graph contract version {OneLine(version)}; this solver reads version {OnnxContract.Version}. Export it again with this version's trm export onnx.");
            return new ExportedStep(path, session, metadata);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    void RequireNodes(string what, IReadOnlyDictionary<string, NodeMetadata> nodes, (string Name, TensorElementType Type, long[] Shape)[] expected)
    {
        foreach (var (name, type, shape) in expected)
        {
            if (!nodes.TryGetValue(name, out var node))
                throw Refused($"it has no {what} '{name}' (its {what}s: {string.Join(", ", nodes.Keys)})");
            var dimensions = node.IsTensor ? node.Dimensions.Select(d => (long)d).ToArray() : [];
            if (!node.IsTensor || node.ElementDataType != type || !dimensions.SequenceEqual(shape))
                throw Refused($"its {what} '{name}' is {Describe(node)}, the contract says {Name(type)} ({string.Join(", ", shape.Select(Dimension))})");
        }
        if (what == "input" && nodes.Keys.Except(expected.Select(e => e.Name)).FirstOrDefault() is { } extra)
            throw Refused($"it has an input '{extra}' the contract does not name");
    }

    TrmException Refused(string problem) =>
        new($"{File}: not a TRM step of graph contract version {OnnxContract.Version}: {OneLine(problem)}; export it again with trm export onnx.");

    static string Describe(NodeMetadata node) =>
        node.IsTensor ? $"{Name(node.ElementDataType)} ({string.Join(", ", node.Dimensions.Select(d => Dimension(d)))})" : $"a {node.OnnxValueType}, not a tensor";

    static string Name(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Int32 => "int32",
        TensorElementType.Bool => "bool",
        _ => type.ToString().ToLowerInvariant(),
    };

    static string Dimension(long size) => size < 0 ? OnnxContract.BatchDim : size.ToString(CultureInfo.InvariantCulture);

    static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Closes the session.</summary>
    public void Dispose() => Session.Dispose();
}
