namespace Trm.IO;

/// <summary>
/// Arithmetic on shapes a file declares, before anything is allocated: element and byte counts that refuse
/// negative sizes and overflow instead of wrapping around or throwing an arithmetic exception.
/// </summary>
public static class DeclaredShape
{
    /// <summary>
    /// The element count of <paramref name="shape"/>, or null when a size is negative or the product of the non-zero sizes
    /// overflows a long (libtorch computes strides from them even when a zero size leaves no elements).
    /// </summary>
    public static long? Elements(IReadOnlyList<long> shape)
    {
        if (shape.Any(n => n < 0)) return null;
        long count = 1;
        foreach (var n in shape.Where(n => n > 0))
        {
            if (count > long.MaxValue / n) return null;
            count *= n;
        }
        return shape.Any(n => n == 0) ? 0 : count;
    }

    /// <summary>The byte count of <paramref name="shape"/> with elements of <paramref name="elementSize"/> bytes, or null as <see cref="Elements"/>.</summary>
    public static long? Bytes(IReadOnlyList<long> shape, int elementSize) =>
        Elements(shape) is { } count && count <= long.MaxValue / elementSize ? count * elementSize : null;

    /// <summary>Writes a shape as <c>[a, b, c]</c> for messages.</summary>
    public static string Text(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
