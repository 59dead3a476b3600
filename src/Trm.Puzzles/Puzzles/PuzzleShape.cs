namespace Trm.Puzzles;

/// <summary>
/// What a model must take to solve a puzzle: <see cref="SeqLen"/> tokens of a vocabulary of <see cref="VocabSize"/>;
/// <see cref="Description"/> names it in messages ("a 4x4 Sudoku"). Puzzles solved together share one shape.
/// </summary>
public sealed record PuzzleShape(string Description, int SeqLen, int VocabSize);
