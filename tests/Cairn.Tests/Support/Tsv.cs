using System.Text;

namespace Cairn.Tests.Support;

/// <summary>Reads tab- or comma-separated files in tests, independently of the importer and exporter under test.</summary>
internal static class Tsv
{
    /// <summary>The data rows of a TSV with quoted fields, parsed here without the code under test.</summary>
    public static List<Dictionary<string, string>> Parse(string text)
    {
        var records = Records(text, '\t');
        var header = records[0];
        return [.. records.Skip(1).Where(r => r.Count > 1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second))];
    }

    /// <summary>RFC 4180 records: quoted fields may hold the delimiter, line breaks and doubled quotes; CRLF or LF ends a record.</summary>
    public static List<List<string>> Records(string text, char delimiter)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                record.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                records.Add(record);
                record = [];
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        return records;
    }
}
