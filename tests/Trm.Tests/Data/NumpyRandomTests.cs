using Trm.Data;

namespace Trm.Tests.Data;

/// <summary>Draws compared with numpy 1.24's legacy generator (values printed by numpy for the same calls).</summary>
public class NumpyRandomTests
{
    [Fact]
    public void RawDrawsMatchNumpy()
    {
        // np.random.seed(42); np.random.randint(0, 2**32, size=3, dtype=np.uint32)
        var random = new NumpyRandom(42);
        Assert.Equal([1608637542u, 3421126067u, 4083286876u], new[] { random.NextUInt32(), random.NextUInt32(), random.NextUInt32() });
    }

    [Fact]
    public void RandIntMatchesNumpy()
    {
        // np.random.seed(42); [randint(0, 8) x 5], [randint(3, 30) x 3]
        var random = new NumpyRandom(42);
        Assert.Equal([6, 3, 4, 6, 2], Enumerable.Range(0, 5).Select(_ => random.RandInt(0, 8)));
        Assert.Equal([10, 23, 9], Enumerable.Range(0, 3).Select(_ => random.RandInt(3, 30)));
        // np.random.seed(0); randint(0, 2**31 - 1)
        Assert.Equal(209652396, new NumpyRandom(0).RandInt(0, int.MaxValue));
    }

    [Fact]
    public void ARangeOfOneValueDrawsNothing()
    {
        var random = new NumpyRandom(42);
        Assert.Equal(5, random.RandInt(5, 6));
        Assert.Equal(1608637542u, random.NextUInt32());
    }

    [Fact]
    public void ShuffleMatchesNumpy()
    {
        // np.random.seed(7); l = list(range(10)); np.random.shuffle(l)
        var items = Enumerable.Range(0, 10).ToList();
        new NumpyRandom(7).Shuffle(items);
        Assert.Equal([8, 5, 0, 2, 1, 9, 7, 3, 6, 4], items);
    }
}
