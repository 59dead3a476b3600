using Trm.IO;

namespace Trm.Tests.IO;

public class CsvFileTests
{
    static List<CsvRecord> Read(string text) => CsvFile.Read(new StringReader(text), "t.csv").ToList();

    static string ErrorOf(string text) => Assert.Throws<TrmException>(() => Read(text)).Message;

    [Fact]
    public void SplitsFieldsAndRecordsAndNumbersTheirLines()
    {
        var records = Read("a,b,c\r\n1,,3\n\nlast");
        Assert.Equal([["a", "b", "c"], ["1", "", "3"], [""], ["last"]], records.Select(r => r.Fields));
        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Line));
    }

    [Fact]
    public void QuotedFieldsHoldCommasDoubledQuotesAndLineBreaks()
    {
        var records = Read("x,\"a, \"\"b\"\"\",y\n\"two\nlines\",\"\"\nz,say \"hi\"\n");
        Assert.Equal([["x", "a, \"b\"", "y"], ["two\nlines", ""], ["z", "say \"hi\""]], records.Select(r => r.Fields));
        Assert.Equal([1, 2, 4], records.Select(r => r.Line));   // the second record spans lines 2 and 3
    }

    [Fact]
    public void QuotedFieldsReadBackAsWritten()
    {
        string[] fields = ["plain", "a,b", "say \"hi\"", "two\r\nlines", ""];
        Assert.Equal("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",", string.Join(",", fields.Select(CsvFile.Quote)));
        Assert.Equal(fields, Assert.Single(Read(string.Join(",", fields.Select(CsvFile.Quote)))).Fields);
    }

    [Fact]
    public void AnUnterminatedQuoteNamesTheLineItOpensOn()
    {
        Assert.Equal("t.csv:2: field 2 opens a quote that is never closed.", ErrorOf("a,b\nc,\"d\ne,f\n"));
        Assert.Equal("t.csv:1: field 1 has 'x' after its closing quote; a quoted field ends at a comma or the line's end.", ErrorOf("\"a\"x,b"));
    }

    [Fact]
    public void ATableChecksItsHeaderAndSkipsIt()
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.csv");
        File.WriteAllText(path, "\uFEFFname,value\n\"q, r\",1\n");
        var record = Assert.Single(CsvFile.ReadTable(path, "name,value", "the test layout"));
        Assert.Equal(["q, r", "1"], record.Fields);
        Assert.Equal($"{path}:2: bad.", record.Error("bad").Message);

        File.WriteAllText(path, "name;value\n");
        Assert.Equal($"{path}:1: the header is 'name;value', expected 'name,value' (the test layout).",
            Assert.Throws<TrmException>(() => CsvFile.ReadTable(path, "name,value", "the test layout").ToList()).Message);
        File.WriteAllText(path, "");
        Assert.Equal($"{path}:1: the file is empty, expected the header 'name,value' (the test layout).",
            Assert.Throws<TrmException>(() => CsvFile.ReadTable(path, "name,value", "the test layout").ToList()).Message);
    }
}
