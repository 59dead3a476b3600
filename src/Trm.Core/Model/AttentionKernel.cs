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
    /// PyTorch's own formulation for bfloat16 inputs on the CPU when the fused kernel is not used (its "math" backend):
    /// q, k and v taken to float32, scores, softmax and the product with v in float32, the result rounded back once.
    /// Its gradients stay in float32 down to q, k and v, where a bfloat16 product with v would round the gradient of
    /// the probabilities before the softmax's backward subtracts nearly equal numbers. The fused kernel is slow at
    /// TRM's short sequences (docs/PERFORMANCE.md). Returns (B, heads, S, D).
    /// </summary>
    static Tensor ReducedPrecisionOnCpu(Tensor q, Tensor k, Tensor v)
    {
        Tensor Float32Heads(Tensor x) => x.transpose(1, 2).to(ScalarType.Float32).contiguous();   // (B, heads, S, D)
        var scores = matmul(Float32Heads(q), Float32Heads(k).transpose(-1, -2)).mul_(1 / Math.Sqrt(q.shape[3]));   // (B, heads, S, S)
        return matmul(softmax(scores, -1), Float32Heads(v)).to(q.dtype);
    }
}
