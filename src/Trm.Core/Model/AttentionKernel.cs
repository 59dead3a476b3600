using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// softmax(q k^T / sqrt(head_dim)) v over all positions (no mask), for q, k (B, S, heads, D) and v (B, S, heads, D),
/// returning (B, S, heads * D).
/// </summary>
public static class AttentionKernel
{
    public static Tensor Apply(Tensor q, Tensor k, Tensor v)
    {
        long batch = q.shape[0], seq = q.shape[1], heads = q.shape[2], headDim = q.shape[3];
        var attended = q.dtype != ScalarType.Float32 && q.device_type == DeviceType.CPU
            ? ReducedPrecisionOnCpu(q, k, v)
            : nn.functional.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2));   // (B, heads, S, D)
        return attended.transpose(1, 2).reshape(batch, seq, heads * headDim);
    }

    /// <summary>
    /// What PyTorch's fused CPU kernel computes for bfloat16 inputs (scores and softmax in float32, probabilities rounded
    /// to the input dtype for the product with v, accumulated in float32), as plain operations: the fused kernel is
    /// slow at TRM's short sequences (4.4 ms against 2.4 ms here for a batch of 16 Sudoku sequences on this machine;
    /// docs/PERFORMANCE.md). Returns (B, heads, S, D).
    /// </summary>
    static Tensor ReducedPrecisionOnCpu(Tensor q, Tensor k, Tensor v)
    {
        var q32 = q.transpose(1, 2).to(ScalarType.Float32).contiguous();   // (B, heads, S, D)
        var k32 = k.transpose(1, 2).to(ScalarType.Float32).contiguous();
        var scores = matmul(q32, k32.transpose(-1, -2)).mul_(1 / Math.Sqrt(q.shape[3]));   // (B, heads, S, S)
        return matmul(softmax(scores, -1).to(q.dtype), v.transpose(1, 2));
    }
}
