using System.Text.Json.Serialization;

namespace Trm.Model;

/// <summary><c>pos_encodings</c>: how token positions enter the network.</summary>
[JsonConverter(typeof(ReferenceNameConverter<PosEncoding>))]
public enum PosEncoding
{
    /// <summary>Rotary embeddings on the attention's queries and keys.</summary>
    [JsonStringEnumMemberName("rope")] Rope,
    /// <summary>A learned embedding per position, added to the input (scaled like the tokens).</summary>
    [JsonStringEnumMemberName("learned")] Learned,
    /// <summary>None (the mlp_t network mixes positions by their index).</summary>
    [JsonStringEnumMemberName("none")] None,
}
