using TorchSharp;
using Trm.Model;
using static TorchSharp.torch;
using static Trm.Export.OnnxProto;

namespace Trm.Export;

/// <summary>
/// Writes one supervision step of a model (<see cref="InnerModel.Forward"/> after <see cref="InnerModel.ResetCarry"/>) as
/// an ONNX graph (<see cref="OnnxContract"/>): the architecture's own <see cref="Recursion"/> runs on the names of graph
/// values (<see cref="ILatentOps{T}"/>), and each layer it applies is written here op by op from the layer's weights, in
/// float32: RMSNorm and rotary as elementwise ops, attention as MatMul-Softmax-MatMul (opset 17 has no Attention op).
/// Linear weights are stored transposed, (in, out), so that each projection is one MatMul.
/// </summary>
internal sealed class OnnxStepGraph : ILatentOps<string>
{
    readonly OnnxGraph graph = new();
    readonly InnerModel inner;
    readonly TrmConfig config;
    readonly Dictionary<IntPtr, string> names;   // tensor handle -> state-dict key (model.inner.*)
    string? rotaryCos, rotarySin;                      // rotary tables (L, 1, head_dim)

    OnnxStepGraph(InnerModel inner)
    {
        this.inner = inner;
        config = inner.Config;
        names = inner.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(inner.named_buffers())
            .ToDictionary(p => p.Item2.Handle, p => "model.inner." + p.Item1);
    }

    /// <summary>The graph of <paramref name="inner"/>'s supervision step.</summary>
    public static OnnxGraph Write(InnerModel inner)
    {
        var writer = new OnnxStepGraph(inner);
        writer.WriteStep();
        return writer.graph;
    }

    void WriteStep()
    {
        var batch = Dim.Named(OnnxContract.BatchDim);
        long length = config.TotalSeqLen, hidden = config.HiddenSize;
        var latents = inner.Latents.Select(latent => graph.Input(latent, DataType.Float, batch, length, hidden)).ToArray();
        var reset = graph.Node("Unsqueeze", [graph.Input(OnnxContract.Reset, DataType.Bool, batch), graph.Int64s(1, 2)]);   // (B, 1, 1)
        var tokens = graph.Input(OnnxContract.Inputs, DataType.Int32, batch, config.SeqLen);
        var puzzleIds = graph.Input(OnnxContract.PuzzleIdentifiers, DataType.Int32, batch);

        // Reset slots restart from the initial latents (hidden,), broadcast over (B, L, D).
        var z = inner.Latents.Select((latent, i) => graph.Node("Where", [reset, Weight(inner.InitialState(latent)), latents[i]])).ToArray();
        if (inner.Rotary is { } rotary)
        {
            long[] dims = [length, 1, config.HeadDim];
            rotaryCos = graph.Initializer($"model.inner.rotary_emb.{RotaryEmbedding.CosName}", dims, () => Values(rotary.Tables.Cos));
            rotarySin = graph.Initializer($"model.inner.rotary_emb.{RotaryEmbedding.SignedSinName}", dims, () => Values(rotary.Tables.SignedSin));
        }
        var next = inner.Recursion.Run(z, InputEmbeddings(tokens, puzzleIds), this);

        var answer = next[0];
        var answerTokens = graph.Node("Slice", [answer, graph.Int64s(config.EffectivePuzzleEmbLen), graph.Int64s(length), graph.Int64s(1)]);
        var logits = Linear(answerTokens, inner.LmHead);                                       // (B, seq_len, vocab)
        var q = Linear(graph.Node("Gather", [answer, graph.Index(0)], OnnxProto.Attribute("axis", 1L)), inner.QHead);   // (B, 2)

        foreach (var (latent, value) in inner.Latents.Zip(next))
        {
            graph.Rename(value, OnnxContract.Next(latent));
            graph.Output(OnnxContract.Next(latent), DataType.Float, batch, length, hidden);
        }
        graph.Rename(logits, OnnxContract.Logits);
        graph.Output(OnnxContract.Logits, DataType.Float, batch, config.SeqLen, config.VocabSize);
        graph.Rename(graph.Node("Gather", [q, graph.Index(0)], OnnxProto.Attribute("axis", 1L)), OnnxContract.QHaltLogits);
        graph.Output(OnnxContract.QHaltLogits, DataType.Float, batch);
        graph.Rename(graph.Node("Gather", [q, graph.Index(1)], OnnxProto.Attribute("axis", 1L)), OnnxContract.QContinueLogits);
        graph.Output(OnnxContract.QContinueLogits, DataType.Float, batch);
    }

    // tokens (B, seq_len), ids (B) -> sqrt(hidden) * [puzzle rows; token embeddings] (B, L, D), as InnerModel.InputEmbeddings
    string InputEmbeddings(string tokens, string puzzleIds)
    {
        var embedding = graph.Node("Gather", [Weight(inner.TokenEmbedding.Weight), tokens], OnnxProto.Attribute("axis", 0L));
        if (inner.PuzzleEmbedding is { } puzzles)
        {
            var rows = graph.Node("Gather", [Weight(puzzles.Weights), puzzleIds], OnnxProto.Attribute("axis", 0L));   // (B, ndim)
            var padCount = (long)config.EffectivePuzzleEmbLen * config.HiddenSize - config.PuzzleEmbNdim;
            if (padCount > 0) rows = graph.Node("Pad", [rows, graph.Int64s(0, 0, 0, padCount)]);
            rows = graph.Node("Reshape", [rows, graph.Int64s(-1, config.EffectivePuzzleEmbLen, config.HiddenSize)]);
            embedding = graph.Node("Concat", [rows, embedding], OnnxProto.Attribute("axis", 1L));
        }
        if (inner.PositionEmbedding is { } positions)
            embedding = Mul(Add(embedding, Weight(positions.Weight)), (float)InnerModel.LearnedPositionScale);
        return Mul(embedding, (float)inner.EmbedScale);
    }

    public string Add(string a, string b) => graph.Node("Add", [a, b]);

    public string Apply(ReasoningModule level, string h, string? injection)
    {
        if (injection is not null) h = Add(h, injection);
        foreach (var block in level.Layers) h = Block(h, block);
        return h;
    }

    /// <summary>A graph has no gradient: every application is the same.</summary>
    public IDisposable WithoutGradient() => NoGradient.Instance;

    sealed class NoGradient : IDisposable
    {
        public static readonly NoGradient Instance = new();
        public void Dispose() { }
    }

    // h (B, L, D) -> (B, L, D): post-norm mixing along the sequence, then the SwiGLU across features (TrmBlock.forward)
    string Block(string h, TrmBlock block)
    {
        if (block.MlpT is { } mlpT)
        {
            var t = graph.Node("Transpose", [h], OnnxProto.Attribute("perm", [0L, 2, 1]));   // (B, D, L)
            h = graph.Node("Transpose", [RmsNorm(Add(t, SwiGlu(t, mlpT)))], OnnxProto.Attribute("perm", [0L, 2, 1]));
        }
        else h = RmsNorm(Add(h, Attention(h, block.SelfAttention!)));
        return RmsNorm(Add(h, SwiGlu(h, block.Mlp)));
    }

    // x (B, L, D) -> (B, L, D): softmax(q k^T / sqrt(head_dim)) v over all positions, q and k rotated (Attention.forward)
    string Attention(string x, Attention attention)
    {
        long heads = attention.Heads, headDim = attention.HeadDim;
        var qkv = graph.Node("Reshape", [Linear(x, attention.QkvProj), graph.Int64s(0, 0, 3 * heads, headDim)]);   // (B, L, 3 heads, hd)
        var qk = Slice(qkv, 0, 2 * heads, axis: 2);
        if (rotaryCos is not null) qk = Rotate(qk, headDim);
        var q = graph.Node("Transpose", [Slice(qk, 0, heads, axis: 2)], OnnxProto.Attribute("perm", [0L, 2, 1, 3]));           // (B, h, L, hd)
        var kT = graph.Node("Transpose", [Slice(qk, heads, 2 * heads, axis: 2)], OnnxProto.Attribute("perm", [0L, 2, 3, 1]));  // (B, h, hd, L)
        var v = graph.Node("Transpose", [Slice(qkv, 2 * heads, 3 * heads, axis: 2)], OnnxProto.Attribute("perm", [0L, 2, 1, 3]));
        var scores = Mul(graph.Node("MatMul", [q, kT]), (float)(1 / Math.Sqrt(headDim)));                                     // (B, h, L, L)
        var attended = graph.Node("MatMul", [graph.Node("Softmax", [scores], OnnxProto.Attribute("axis", -1L)), v]);          // (B, h, L, hd)
        attended = graph.Node("Transpose", [attended], OnnxProto.Attribute("perm", [0L, 2, 1, 3]));
        return Linear(graph.Node("Reshape", [attended, graph.Int64s(0, 0, heads * headDim)]), attention.OProj);
    }

    // x (B, L, heads, hd) -> x * cos + (x2, x1) * (-sin, sin) (RotaryEmbedding.Apply)
    string Rotate(string x, long headDim)
    {
        var halves = graph.Node("Split", [x, graph.Int64s(headDim / 2, headDim / 2)], 2, OnnxProto.Attribute("axis", -1L));
        var swapped = graph.Node("Concat", [halves[1], halves[0]], OnnxProto.Attribute("axis", -1L));
        return Add(graph.Node("Mul", [x, rotaryCos!]), graph.Node("Mul", [swapped, rotarySin!]));
    }

    // (..., dim) -> (..., dim): down(silu(gate) * up) (SwiGlu.forward)
    string SwiGlu(string x, SwiGlu swiGlu)
    {
        var inter = swiGlu.DownProj.Weight.shape[1];
        var gateUp = graph.Node("Split", [Linear(x, swiGlu.GateUpProj), graph.Int64s(inter, inter)], 2, OnnxProto.Attribute("axis", -1L));
        var silu = graph.Node("Mul", [gateUp[0], graph.Node("Sigmoid", [gateUp[0]])]);
        return Linear(graph.Node("Mul", [silu, gateUp[1]]), swiGlu.DownProj);
    }

    // x * 1/sqrt(mean(x^2) + eps) over the last axis (RmsNorm.Apply)
    string RmsNorm(string x)
    {
        var variance = graph.Node("ReduceMean", [graph.Node("Mul", [x, x])], OnnxProto.Attribute("axes", [-1L]), OnnxProto.Attribute("keepdims", 1L));
        var scale = graph.Node("Reciprocal", [graph.Node("Sqrt", [Add(variance, graph.Scalar((float)config.RmsNormEps))])]);
        return graph.Node("Mul", [x, scale]);
    }

    // (..., in) -> (..., out): x W^T + b, with W^T stored
    string Linear(string x, CastedLinear linear)
    {
        var weight = linear.Weight;
        var transposed = graph.Initializer(names[weight.Handle] + ".T", [weight.shape[1], weight.shape[0]], () => Values(weight.t()));
        var y = graph.Node("MatMul", [x, transposed]);
        return linear.Bias is { } bias ? Add(y, Weight(bias)) : y;
    }

    string Slice(string x, long start, long end, long axis) => graph.Node("Slice", [x, graph.Int64s(start), graph.Int64s(end), graph.Int64s(axis)]);

    string Mul(string x, float factor) => graph.Node("Mul", [x, graph.Scalar(factor)]);

    // A parameter or buffer as an initializer under its state-dict name, in its own shape or in dims.
    string Weight(Tensor tensor, long[]? dims = null) =>
        graph.Initializer(names.TryGetValue(tensor.Handle, out var name) ? name : throw new InvalidOperationException("a tensor of the export is not the model's"),
            dims ?? tensor.shape, () => Values(tensor));

    static float[] Values(Tensor tensor)
    {
        using var values = tensor.detach().to(ScalarType.Float32, CPU).contiguous();
        return values.data<float>().ToArray();
    }
}
