using Trm.Puzzles.Maze;

namespace Trm.Tests.Puzzles.Maze;

public class MazeTextTests
{
    [Theory]
    // The page writes every row in full: a last row of open cells is a row.
    [InlineData("S  #\n## #\n#  G\n    ", "S  ### ##  G    ")]
    // Rows cut short by an editor are open to the right; trailing empty lines and a surplus blank row end the text.
    [InlineData("S\n## #\n#  G\n    \n   \n\n", "S   ## ##  G    ")]
    [InlineData("S  #\r\n## #\r\n#  G\r\n   #\r\n", "S  ### ##  G   #")]
    public void RowsAreReadAsPeopleWriteThem(string text, string cells) => Assert.Equal(cells, MazeText.Parse(text, "m").ToString());

    [Theory]
    [InlineData("S  #\n## #\n   G\n", "m: row 1 has 4 cells but the maze has 3 rows; a maze is square.")]
    [InlineData("\n \n", "m: the maze is empty; write one row per line using '# SGo'.")]
    public void TextThatIsNotASquareMazeIsRefused(string text, string message) => Assert.Equal(message, Assert.Throws<TrmException>(() => MazeText.Parse(text, "m")).Message);
}
