using GGnet.Core.Machines;

namespace GGnet.Tests.Core.Machines;

public sealed class CsvTests
{
    [Fact]
    public void Parse_QuotedCommasQuotesAndLineBreaks_AndCrlf_AndBlankLines()
    {
        var rows = Csv.Parse("name,description\r\npc-01,\"hall, left \"\"A\"\"\"\r\n\r\npc-02,\"two\nlines\"\npc-03,\n");

        Assert.Equal([1, 2, 4, 6], rows.Select(r => r.Line));
        Assert.Equal(["pc-01", "hall, left \"A\""], rows[1].Fields);
        Assert.Equal(["pc-02", "two\nlines"], rows[2].Fields);
        Assert.Equal(["pc-03", ""], rows[3].Fields);
    }

    [Fact]
    public void Parse_AnUnclosedQuote_SaysWhichLine()
    {
        var broken = Assert.Throws<FormatException>(() => Csv.Parse("name,mac\npc-01,\"52:54"));

        Assert.Equal("Line 2: a quoted field is never closed.", broken.Message);
    }

    [Fact]
    public void Row_QuotesWhatNeedsIt_AndDefusesSpreadsheetFormulas()
    {
        Assert.Equal("pc-01,\"a, b\",\"say \"\"hi\"\"\",'=HYPERLINK(1),'@SUM(1),\r\n", Csv.Row(["pc-01", "a, b", "say \"hi\"", "=HYPERLINK(1)", "@SUM(1)", null]));
    }
}
