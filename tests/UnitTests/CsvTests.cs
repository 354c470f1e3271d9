using System.Text;
using Kim.ServiceDefaults;

namespace Kim.UnitTests;

/// <summary>The services' one CSV writer: German spreadsheet dialect, and no cell that a spreadsheet would evaluate.</summary>
public sealed class CsvTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+49 211 123", "'+49 211 123")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=HYPERLINK(\"http://x\";\"y\")", "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"")]
    public void A_field_that_could_start_a_formula_is_written_as_text(string value, string written) => Assert.Equal(written, Csv.Field(value));

    [Theory]
    [InlineData("Kreis Mettmann", "Kreis Mettmann")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("zwei\nZeilen", "\"zwei\nZeilen\"")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Plain_fields_stay_and_separators_are_quoted(string? value, string written) => Assert.Equal(written, Csv.Field(value));

    [Fact]
    public void Lines_end_with_crlf_and_the_file_starts_with_a_byte_order_mark()
    {
        var csv = Csv.Line(new StringBuilder(), "Kommune", "=1", null);

        Assert.Equal("Kommune;'=1;\r\n", csv.ToString());
        Assert.Equal([0xEF, 0xBB, 0xBF, (byte)'K'], Csv.Encode(csv)[..4]);
    }
}
