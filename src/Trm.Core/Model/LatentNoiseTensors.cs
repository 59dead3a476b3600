using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>What <see cref="LatentNoise"/> does with a model's latents (the noise itself needs no tensors and lives below in <c>Trm.Puzzles</c>).</summary>
public static class LatentNoiseTensors
{
    /// <summary>Positions in <paramref name="latents"/> that the noise perturbs, for a model of <paramref name="architecture"/>.</summary>
    public static IReadOnlyList<int> Targets(this LatentNoise noise, IReadOnlyList<string> latents, Architecture architecture) =>
        noise.Targets(latents, ArchitectureNames.Short(architecture));

    extension(LatentNoise)
    {
        /// <summary>The carry with <paramref name="noise"/> (one (B, L, D) tensor per target, float32) added to the target latents in their dtype.</summary>
        public static InnerCarry Add(InnerCarry carry, IReadOnlyList<int> targets, IReadOnlyList<Tensor> noise)
        {
            var states = carry.States.ToArray();
            for (int t = 0; t < targets.Count; t++) states[targets[t]] = states[targets[t]] + noise[t].to(states[targets[t]].dtype);
            return new InnerCarry(carry.Names, states);
        }
    }
}
