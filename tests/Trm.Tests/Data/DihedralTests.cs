using Trm.Data;

namespace Trm.Tests.Data;

public class DihedralTests
{
    // 2 x 3: [[1, 2, 3], [4, 5, 6]]
    static readonly int[,] Grid = { { 1, 2, 3 }, { 4, 5, 6 } };

    [Theory]
    [InlineData(1, new[] { 3, 6, 2, 5, 1, 4 })]  // numpy rot90(k=1): [[3, 6], [2, 5], [1, 4]]
    [InlineData(2, new[] { 6, 5, 4, 3, 2, 1 })]
    [InlineData(3, new[] { 4, 1, 5, 2, 6, 3 })]
    [InlineData(4, new[] { 3, 2, 1, 6, 5, 4 })]
    [InlineData(5, new[] { 4, 5, 6, 1, 2, 3 })]
    [InlineData(6, new[] { 1, 4, 2, 5, 3, 6 })]
    [InlineData(7, new[] { 6, 3, 5, 2, 4, 1 })]  // fliplr(rot90): [[6, 3], [5, 2], [4, 1]]
    public void MatchesNumpy(int transform, int[] expected) =>
        Assert.Equal(expected, Dihedral.Apply(Grid, transform).Cast<int>());

    [Fact]
    public void EveryTransformIsUndoneByItsInverse()
    {
        for (int t = 0; t < Dihedral.Count; t++)
            Assert.Equal(Grid, Dihedral.Apply(Dihedral.Apply(Grid, t), Dihedral.Inverse[t]));
    }
}
