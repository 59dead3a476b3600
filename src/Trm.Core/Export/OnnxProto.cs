using System.Runtime.InteropServices;
using Trm.Logging;

namespace Trm.Export;

/// <summary>
/// The messages of ONNX's <c>onnx.proto</c> (IR version 8) that an exported step uses, written field by field with the
/// field numbers of that file: ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto (with
/// TypeProto.Tensor and TensorShapeProto), OperatorSetIdProto and StringStringEntryProto. Nothing else of ONNX is needed.
/// </summary>
internal static class OnnxProto
{
    /// <summary>The IR version of opset 17's release (ONNX 1.12).</summary>
    public const long IrVersion = 8;

    /// <summary>TensorProto.DataType values.</summary>
    public enum DataType { Float = 1, Int32 = 6, Int64 = 7, Bool = 9 }

    // AttributeProto.AttributeType
    const int AttributeFloat = 1, AttributeInt = 2, AttributeInts = 7;

    /// <summary>A dimension: a fixed size, or a named one that any size fills (<c>dim_param</c>, the batch).</summary>
    public readonly record struct Dim(long Value, string? Param = null)
    {
        public static implicit operator Dim(long value) => new(value);
        public static Dim Named(string name) => new(0, name);
    }

    /// <summary>ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8, metadata_props 14.</summary>
    public static ProtobufWriter Model(ProtobufWriter graph, int opset, string producer, string producerVersion, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var model = new ProtobufWriter();
        model.WriteInt64(1, IrVersion);
        model.WriteString(2, producer);
        model.WriteString(3, producerVersion);
        model.WriteMessage(7, graph);
        var opsetImport = new ProtobufWriter();   // OperatorSetIdProto: domain 1 (empty: the default ai.onnx), version 2
        opsetImport.WriteInt64(2, opset);
        model.WriteMessage(8, opsetImport);
        foreach (var (key, value) in metadata)
        {
            var entry = new ProtobufWriter();   // StringStringEntryProto: key 1, value 2
            entry.WriteString(1, key);
            entry.WriteString(2, value);
            model.WriteMessage(14, entry);
        }
        return model;
    }

    /// <summary>GraphProto: node 1, name 2, initializer 5, input 11, output 12.</summary>
    public static ProtobufWriter Graph(string name, IEnumerable<ProtobufWriter> nodes, IEnumerable<ProtobufWriter> initializers,
        IEnumerable<ProtobufWriter> inputs, IEnumerable<ProtobufWriter> outputs)
    {
        var graph = new ProtobufWriter();
        foreach (var node in nodes) graph.WriteMessage(1, node);
        graph.WriteString(2, name);
        foreach (var initializer in initializers) graph.WriteMessage(5, initializer);
        foreach (var input in inputs) graph.WriteMessage(11, input);
        foreach (var output in outputs) graph.WriteMessage(12, output);
        return graph;
    }

    /// <summary>NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.</summary>
    public static ProtobufWriter Node(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<ProtobufWriter> attributes)
    {
        var node = new ProtobufWriter();
        foreach (var input in inputs) node.WriteString(1, input);
        foreach (var output in outputs) node.WriteString(2, output);
        node.WriteString(3, name);
        node.WriteString(4, opType);
        foreach (var attribute in attributes) node.WriteMessage(5, attribute);
        return node;
    }

    /// <summary>AttributeProto: name 1, f 2, i 3, ints 8, type 20.</summary>
    public static ProtobufWriter Attribute(string name, long value) => Attribute(name, AttributeInt, a => a.WriteInt64(3, value));

    public static ProtobufWriter Attribute(string name, float value) => Attribute(name, AttributeFloat, a => a.WriteFloat(2, value));

    public static ProtobufWriter Attribute(string name, IEnumerable<long> values) => Attribute(name, AttributeInts, a =>
    {
        foreach (var value in values) a.WriteInt64(8, value);
    });

    static ProtobufWriter Attribute(string name, int type, Action<ProtobufWriter> value)
    {
        var attribute = new ProtobufWriter();
        attribute.WriteString(1, name);
        value(attribute);
        attribute.WriteInt64(20, type);
        return attribute;
    }

    /// <summary>TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian, as this machine and every .NET target store it).</summary>
    public static ProtobufWriter Tensor<T>(string name, DataType type, IEnumerable<long> dims, ReadOnlySpan<T> values) where T : unmanaged
    {
        var tensor = new ProtobufWriter();
        foreach (var dim in dims) tensor.WriteInt64(1, dim);
        tensor.WriteInt64(2, (long)type);
        tensor.WriteString(8, name);
        tensor.WriteBytes(9, MemoryMarshal.AsBytes(values));
        return tensor;
    }

    /// <summary>ValueInfoProto: name 1, type 2 (TypeProto: tensor_type 1 = elem_type 1, shape 2 = dim 1 each: dim_value 1 or dim_param 2).</summary>
    public static ProtobufWriter ValueInfo(string name, DataType type, IEnumerable<Dim> dims)
    {
        var shape = new ProtobufWriter();
        foreach (var dim in dims)
        {
            var dimension = new ProtobufWriter();
            if (dim.Param is { } param) dimension.WriteString(2, param);
            else dimension.WriteInt64(1, dim.Value);
            shape.WriteMessage(1, dimension);
        }
        var tensorType = new ProtobufWriter();
        tensorType.WriteInt64(1, (long)type);
        tensorType.WriteMessage(2, shape);
        var typeProto = new ProtobufWriter();
        typeProto.WriteMessage(1, tensorType);
        var info = new ProtobufWriter();
        info.WriteString(1, name);
        info.WriteMessage(2, typeProto);
        return info;
    }
}
