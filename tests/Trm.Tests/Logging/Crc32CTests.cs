using System.Text;
using Trm.Logging;

namespace Trm.Tests.Logging;

public class Crc32CTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("123456789", 0xE3069283u)]   // the CRC catalogue's check value for CRC-32C
    public void MatchesTheCheckValue(string text, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void MatchesTheIscsiTestVectors()   // RFC 3720, appendix B.4
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
    }

    [Fact]
    public void AgreesWithTheBitwiseDefinitionOnRandomData()
    {
        var random = new Random(7);
        foreach (int length in new[] { 1, 3, 8, 17, 1000 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(EventFileReader.BitwiseCrc32C(data), Crc32C.Compute(data));
        }
    }
}
