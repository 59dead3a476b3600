namespace Trm.Puzzles.Maze;

/// <summary>
/// One row of a Maze-Hard CSV: where it came from, the question, the answer (the question with the shortest
/// route drawn as <c>o</c>) and the rating as written (the generator writes the shortest route's moves).
/// </summary>
public sealed record MazeExample(string Source, MazeGrid Question, MazeGrid Answer, string Rating);
