using System.Security.Cryptography;
using System.Text;

namespace Trm.Puzzles.Arc;

/// <summary>
/// The reference's content hashes, used to reject an augmentation that reproduces a puzzle already in its group:
/// a grid hashes as SHA-256 over its (rows, columns) bytes then its row-major colours; a puzzle as SHA-256 over its
/// pairs' "input|output" grid hashes, sorted and joined with "|" (so pair order does not matter).
/// </summary>
public static class ArcPuzzleHash
{
    /// <summary>Lower-case hex SHA-256 of the grid's shape bytes and colours.</summary>
    public static string OfGrid(byte[,] grid)
    {
        int rows = grid.GetLength(0), columns = grid.GetLength(1);
        Span<byte> buffer = stackalloc byte[2 + ArcPuzzleReader.MaxGridSize * ArcPuzzleReader.MaxGridSize];
        buffer[0] = checked((byte)rows);
        buffer[1] = checked((byte)columns);
        int n = 2;
        foreach (var colour in grid) buffer[n++] = colour;
        return Convert.ToHexStringLower(SHA256.HashData(buffer[..n]));
    }

    /// <summary>Hex SHA-256 of the sorted "input|output" hashes of <paramref name="pairs"/>.</summary>
    public static string OfPairs(IEnumerable<ArcPair> pairs)
    {
        var hashes = pairs.Select(p => $"{OfGrid(p.Input)}|{OfGrid(p.Output)}").Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", hashes))));
    }
}
