using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trm.Puzzles.Arc;

/// <summary>Writes a (rows, columns) grid as ARC's list of rows, <c>[[0, 1], [2, 3]]</c>. Reading goes through <see cref="ArcPuzzleReader"/>, which checks each grid.</summary>
public sealed class ArcGridJsonConverter : JsonConverter<byte[,]>
{
    public override byte[,] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("read ARC files with ArcPuzzleReader, which validates each grid");

    public override void Write(Utf8JsonWriter writer, byte[,] grid, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        for (int r = 0; r < grid.GetLength(0); r++)
        {
            writer.WriteStartArray();
            for (int c = 0; c < grid.GetLength(1); c++) writer.WriteNumberValue(grid[r, c]);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }
}
