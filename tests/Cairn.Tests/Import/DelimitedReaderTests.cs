using Cairn.Import;

namespace Cairn.Tests.Import;

public sealed class DelimitedReaderTests
{
    private static List<List<string>> ReadAll(string text, char delimiter)
    {
        var reader = new DelimitedReader(new StringReader(text), delimiter);
        var records = new List<List<string>>();
        while (reader.ReadRecord() is { } record)
        {
            records.Add(record);
        }
        return records;
    }

    [Fact]
    public void Plain_csv_splits_on_commas_and_lines()
    {
        var records = ReadAll("a,b,c\n1,2,3\n", ',');

        Assert.Equal([["a", "b", "c"], ["1", "2", "3"]], records);
    }

    [Fact]
    public void Quoted_field_may_hold_the_delimiter()
    {
        var records = ReadAll("\"x,y\",z\n", ',');

        Assert.Equal([["x,y", "z"]], records);
    }

    [Fact]
    public void Doubled_quotes_inside_a_quoted_field_are_one_quote()
    {
        var records = ReadAll("\"say \"\"hi\"\"\",\"{\"\"a\"\": 1}\"\n", ',');

        Assert.Equal([["say \"hi\"", "{\"a\": 1}"]], records);
    }

    [Fact]
    public void Quoted_tsv_field_may_hold_tabs_and_newlines()
    {
        var records = ReadAll("a\t\"one\ttwo\nthree\r\nfour\"\tc\nnext\trow\there\n", '\t');

        Assert.Equal([["a", "one\ttwo\nthree\r\nfour", "c"], ["next", "row", "here"]], records);
    }

    [Fact]
    public void Crlf_line_endings_end_records()
    {
        var records = ReadAll("a,b\r\n1,2\r\n3,4", ',');

        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"]], records);
    }

    [Fact]
    public void Empty_fields_are_kept_in_place()
    {
        var records = ReadAll(",x,,\n", ',');

        Assert.Equal([["", "x", "", ""]], records);
    }

    [Fact]
    public void Quote_in_the_middle_of_an_unquoted_field_is_literal()
    {
        var records = ReadAll("ab\"c,d\n", ',');

        Assert.Equal([["ab\"c", "d"]], records);
    }

    [Fact]
    public void Empty_input_has_no_records()
    {
        Assert.Empty(ReadAll("", ','));
    }

    [Theory]
    [InlineData("a,b\n1,\"open\n2,3\n", "data.csv:2:3: this quoted field is never closed")]
    [InlineData("a,b\r\n1,2\r\n\"x\"y,3\r\n", "data.csv:3:4: text after the closing quote")]
    [InlineData("a\tb\n\"multi\nline\"\t\"q\" \n", "data.csv:3:10: text after the closing quote")]
    public void Issue_7_malformed_quoting_is_an_error_with_the_file_line_and_column(string text, string expected)
    {
        var reader = new DelimitedReader(new StringReader(text), text.Contains('\t') ? '\t' : ',', "data.csv");

        var error = Assert.Throws<ImportException>(() =>
        {
            while (reader.ReadRecord() is not null)
            {
            }
        });

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_line_is_where_a_record_starts()
    {
        var reader = new DelimitedReader(new StringReader("a,b\n\"x\ny\",1\r\nz,2\n"), ',');

        reader.ReadRecord();
        reader.ReadRecord();
        var afterMultiline = reader.RecordLine;
        reader.ReadRecord();

        Assert.Equal((2, 4), (afterMultiline, reader.RecordLine));
    }
}
