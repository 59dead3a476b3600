namespace Trm.Model;

/// <summary>
/// A level of an architecture's recursion (its state-dict name, <c>L_level</c> or <c>H_level</c>, and its layers) and how
/// often one supervision step applies it: <see cref="Applications"/> in all, of which <see cref="WithGradient"/> record
/// gradients (the others run without).
/// </summary>
public sealed record LevelApplications(string Level, int Layers, long Applications, long WithGradient);
