using Trm.Model;
using Trm.Training;
using static TorchSharp.torch;

namespace Trm.Tests.Training;

public class SignSgdSparseTests
{
    [Fact]
    public void UpdatesOnlyTouchedRowsWithTheSignOfTheSummedGradient()
    {
        // Table of 4 ids x 2 dims; the batch uses ids 1, 3, 1.
        var embedding = new SparsePuzzleEmbedding(4, 2, ScalarType.Float32);
        using (no_grad()) embedding.Weights.copy_(tensor(new float[] { 1, 1, 2, -2, 3, 3, 4, -4 }).view(4, 2));
        embedding.train();
        var rows = embedding.forward(tensor(new[] { 1, 3, 1 }));
        // Gradient rows: id 1 gets (+0.5, -0.2) + (-1.0, -0.3) = (-0.5, -0.5); id 3 gets (0.0, +2.0).
        var upstream = tensor(new float[] { 0.5f, -0.2f, 0f, 2f, -1f, -0.3f }).view(3, 2);
        (rows * upstream).sum().backward();

        new SignSgdSparse(embedding, lr: 0.1, weightDecay: 0.5).Step();

        // w * (1 - 0.1 * 0.5) - 0.1 * sign(g): decay factor 0.95; sign(0) = 0.
        var expected = new float[]
        {
            1, 1,                                  // id 0: untouched, no decay
            2 * 0.95f + 0.1f, -2 * 0.95f + 0.1f,   // id 1: g = (-0.5, -0.5)
            3, 3,                                  // id 2: untouched
            4 * 0.95f, -4 * 0.95f - 0.1f,          // id 3: g = (0, +2)
        };
        var actual = embedding.Weights.flatten().data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
    }

    [Fact]
    public void EvaluationReadsTheTableWithoutRecordingRows()
    {
        var embedding = new SparsePuzzleEmbedding(3, 2, ScalarType.BFloat16);
        embedding.eval();
        var rows = embedding.forward(tensor(new[] { 2 }));
        Assert.Equal(ScalarType.BFloat16, rows.dtype);
        Assert.False(rows.requires_grad);
        Assert.Null(embedding.LastRows);
    }
}
