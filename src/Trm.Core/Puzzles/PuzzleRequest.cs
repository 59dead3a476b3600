namespace Trm.Puzzles;

/// <summary>One puzzle as a model takes it: token ids (seq_len) and the puzzle-embedding row it uses (0 for Sudoku and mazes).</summary>
public sealed record PuzzleRequest(int[] Tokens, int PuzzleIdentifier = 0);
