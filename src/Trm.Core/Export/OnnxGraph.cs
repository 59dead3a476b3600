using Trm.Logging;
using static Trm.Export.OnnxProto;

namespace Trm.Export;

/// <summary>
/// An ONNX graph being written: nodes in the order they run, each output named by a counter, initializers (weights and
/// constants, each written once however often it is used), the graph's inputs and outputs. <see cref="ToModel"/> wraps
/// it in a ModelProto.
/// </summary>
internal sealed class OnnxGraph
{
    readonly List<ProtobufWriter> nodes = [], initializers = [], inputs = [], outputs = [];
    readonly Dictionary<string, string> constants = [];
    readonly HashSet<string> initializerNames = [];
    int counter;

    /// <summary>Bytes of the initializers written so far (the weights).</summary>
    public long InitializerBytes { get; private set; }

    public int NodeCount => nodes.Count;

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string Node(string opType, IEnumerable<string> nodeInputs, params ProtobufWriter[] attributes) =>
        Node(opType, nodeInputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs and returns their names.</summary>
    public string[] Node(string opType, IEnumerable<string> nodeInputs, int outputCount, params ProtobufWriter[] attributes)
    {
        var id = counter++;
        var names = Enumerable.Range(0, outputCount).Select(i => outputCount == 1 ? $"{opType}_{id}" : $"{opType}_{id}_{i}").ToArray();
        nodes.Add(OnnxProto.Node(opType, $"{opType}_{id}", nodeInputs, names, attributes));
        return names;
    }

    /// <summary>Names an existing value <paramref name="name"/> (an Identity node), for the graph's outputs.</summary>
    public void Rename(string value, string name) => nodes.Add(OnnxProto.Node("Identity", name, [value], [name], []));

    /// <summary>A float32 initializer called <paramref name="name"/>; written once, later calls with the same name reuse it.</summary>
    public string Initializer(string name, long[] dims, Func<float[]> values)
    {
        if (initializerNames.Add(name))
        {
            var data = values();
            if (data.LongLength != dims.Aggregate(1L, (a, b) => a * b))
                throw new InvalidOperationException($"initializer {name}: {data.LongLength} values for shape [{string.Join(", ", dims)}]");
            initializers.Add(Tensor<float>(name, DataType.Float, dims, data));
            InitializerBytes += data.LongLength * sizeof(float);
        }
        return name;
    }

    /// <summary>A float32 scalar constant.</summary>
    public string Scalar(float value) => Constant($"const_f{BitConverter.SingleToInt32Bits(value):x8}",
        name => Tensor<float>(name, DataType.Float, [], [value]));

    /// <summary>An int64 vector constant (shapes, axes, pads, slice bounds).</summary>
    public string Int64s(params long[] values) => Constant($"const_i[{string.Join(",", values)}]",
        name => Tensor<long>(name, DataType.Int64, [values.Length], values));

    /// <summary>An int64 scalar constant (an index that Gather removes the axis of).</summary>
    public string Index(long value) => Constant($"const_i{value}", name => Tensor<long>(name, DataType.Int64, [], [value]));

    string Constant(string name, Func<string, ProtobufWriter> tensor)
    {
        if (!constants.ContainsKey(name))
        {
            initializers.Add(tensor(name));
            constants[name] = name;
        }
        return name;
    }

    public string Input(string name, DataType type, params Dim[] dims)
    {
        inputs.Add(ValueInfo(name, type, dims));
        return name;
    }

    public void Output(string name, DataType type, params Dim[] dims) => outputs.Add(ValueInfo(name, type, dims));

    /// <summary>The ModelProto of this graph.</summary>
    public ProtobufWriter ToModel(string graphName, int opset, string producer, string producerVersion, IEnumerable<KeyValuePair<string, string>> metadata) =>
        OnnxProto.Model(Graph(graphName, nodes, initializers, inputs, outputs), opset, producer, producerVersion, metadata);
}
