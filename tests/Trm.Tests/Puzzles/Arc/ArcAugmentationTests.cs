using Trm.Data;
using Trm.Puzzles.Arc;

namespace Trm.Tests.Puzzles.Arc;

public class ArcAugmentationTests
{
    // 2 x 3 with every colour different, so that any wrong cell or colour shows.
    static readonly byte[,] Grid = GridAssert.Of([0, 1, 2], [3, 4, 9]);

    [Fact]
    public void DrawsAsTheReferenceDoes()
    {
        // np.random.seed(42); randint(0, 8); permutation(arange(1, 10)) -> 6, [9 2 6 1 8 3 7 5 4]
        var augmentation = ArcAugmentation.Draw(new NumpyRandom(42));
        Assert.Equal(6, augmentation.Transform);
        Assert.Equal([0, 9, 2, 6, 1, 8, 3, 7, 5, 4], augmentation.Mapping);
        Assert.Equal("007bbfb7|||t6|||0926183754", augmentation.Name("007bbfb7"));
    }

    [Fact]
    public void AppliesTheColourMapThenTheTransform()
    {
        var augmentation = new ArcAugmentation(1, [0, 2, 3, 4, 5, 6, 7, 8, 9, 1]);
        // colours -> [[0, 2, 3], [4, 5, 1]]; numpy rot90 -> [[3, 1], [2, 5], [0, 4]]
        GridAssert.Equal(GridAssert.Of([3, 1], [2, 5], [0, 4]), augmentation.Apply(Grid));
    }

    [Fact]
    public void EveryTransformAndPermutationIsUndoneByInvert()
    {
        var random = new NumpyRandom(1);
        for (int i = 0; i < 64; i++)
        {
            var drawn = ArcAugmentation.Draw(random);
            var parsed = ArcAugmentation.Parse(drawn.Name("abc")).Augmentation;
            GridAssert.Equal(Grid, parsed.Invert(drawn.Apply(Grid)), drawn.Name("abc"));
        }
    }

    [Fact]
    public void ParsesNamesBackIntoIdAndAugmentation()
    {
        var (id, augmentation) = ArcAugmentation.Parse("e3497940|||t3|||0547812936");
        Assert.Equal("e3497940", id);
        Assert.Equal(3, augmentation.Transform);
        Assert.Equal([0, 5, 4, 7, 8, 1, 2, 9, 3, 6], augmentation.Mapping);
    }

    [Fact]
    public void APlainNameIsTheIdentity()
    {
        var (id, augmentation) = ArcAugmentation.Parse("e3497940");
        Assert.Equal("e3497940", id);
        Assert.Same(ArcAugmentation.Identity, augmentation);
        GridAssert.Equal(Grid, augmentation.Invert(Grid));
    }

    [Theory]
    [InlineData("abc|||t8|||0123456789")]   // transform out of range
    [InlineData("abc|||t1|||1023456789")]   // 0 must stay 0
    [InlineData("abc|||t1|||0113456789")]   // not a permutation
    [InlineData("abc|||t1|||012345678")]    // 9 digits
    [InlineData("abc|||1|||0123456789")]    // no 't'
    [InlineData("abc|||t1")]
    public void MalformedNamesAreRefused(string name)
    {
        var error = Assert.Throws<TrmException>(() => ArcAugmentation.Parse(name));
        Assert.Contains($"'{name}'", error.Message);
    }

    [Fact]
    public void InvertRefusesTokensThatAreNotColours() =>
        Assert.Throws<ArgumentException>(() => ArcAugmentation.Identity.Invert(GridAssert.Of([0, 10])));
}
