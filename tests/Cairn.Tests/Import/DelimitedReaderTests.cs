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
}
