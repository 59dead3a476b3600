namespace Trm.Data;

/// <summary>
/// NumPy's legacy global generator (<c>np.random.seed</c>, <c>randint</c>, <c>shuffle</c>, <c>permutation</c>):
/// MT19937 seeded with an integer as numpy seeds it, and numpy's masked rejection sampling for ranges.
/// The reference's builders draw from it, so the same seed gives the same dataset byte for byte.
/// </summary>
public sealed class NumpyRandom
{
    const int StateLength = 624, Shift = 397;
    const uint MatrixA = 0x9908b0df, UpperMask = 0x80000000, LowerMask = 0x7fffffff;

    readonly uint[] state = new uint[StateLength];
    int position;

    /// <summary>As <c>np.random.seed(seed)</c>.</summary>
    public NumpyRandom(uint seed)
    {
        state[0] = seed;
        for (int i = 1; i < StateLength; i++)
            state[i] = 1812433253u * (state[i - 1] ^ (state[i - 1] >> 30)) + (uint)i;
        position = StateLength;
    }

    /// <summary>One raw 32-bit draw (MT19937 <c>genrand_int32</c>).</summary>
    public uint NextUInt32()
    {
        if (position == StateLength) Twist();
        uint y = state[position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        return y ^ (y >> 18);
    }

    /// <summary>As <c>np.random.randint(low, high)</c>: uniform in [low, high); a range of one value draws nothing.</summary>
    public int RandInt(int low, int high)
    {
        if (high <= low) throw new ArgumentOutOfRangeException(nameof(high), $"randint needs low < high, got [{low}, {high})");
        return low + (int)Interval((uint)(high - low - 1));
    }

    /// <summary>As <c>np.random.shuffle</c> (lists and 1-D arrays): Fisher-Yates from the end.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = (int)Interval((uint)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Uniform in [0, max] by drawing under the smallest all-ones mask covering max and rejecting what exceeds it.</summary>
    uint Interval(uint max)
    {
        if (max == 0) return 0;
        uint mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        while ((value = NextUInt32() & mask) > max) { }
        return value;
    }

    void Twist()
    {
        for (int i = 0; i < StateLength; i++)
        {
            uint y = (state[i] & UpperMask) | (state[(i + 1) % StateLength] & LowerMask);
            state[i] = state[(i + Shift) % StateLength] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
        }
        position = 0;
    }
}
