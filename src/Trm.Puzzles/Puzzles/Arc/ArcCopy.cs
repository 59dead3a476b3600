namespace Trm.Puzzles.Arc;

/// <summary>A copy of an ARC task that a model has a puzzle-embedding row for: the row, and the augmentation its name records.</summary>
public sealed record ArcCopy(int Identifier, ArcAugmentation Augmentation, bool IsOriginal)
{
    /// <summary>The copies of <paramref name="taskId"/> among a dataset's identifiers (index = puzzle-embedding row): the
    /// rows named <c>&lt;id&gt;</c> (the original) or <c>&lt;id&gt;|||t&lt;k&gt;|||&lt;map&gt;</c>.</summary>
    public static IReadOnlyList<ArcCopy> Among(IReadOnlyList<string> identifiers, string taskId)
    {
        var copies = new List<ArcCopy>();
        for (int row = 0; row < identifiers.Count; row++)
        {
            var name = identifiers[row];
            bool original = name == taskId;
            if (original || name.StartsWith(taskId + ArcAugmentation.Separator, StringComparison.Ordinal))
                copies.Add(new ArcCopy(row, ArcAugmentation.Parse(name).Augmentation, original));
        }
        return copies;
    }
}
