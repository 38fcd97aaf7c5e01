using System.Text;

namespace Cairn.Import;

/// <summary>
/// Reads CSV (RFC 4180) or TSV records: quoted fields may hold the delimiter, newlines and doubled quotes.
/// </summary>
internal sealed class DelimitedReader(TextReader reader, char delimiter)
{
    private readonly StringBuilder _field = new();

    /// <summary>The next record, or null at the end of the input.</summary>
    public List<string>? ReadRecord()
    {
        var c = reader.Read();
        if (c == -1)
        {
            return null;
        }
        var record = new List<string>();
        _field.Clear();
        var quoted = false;
        var atFieldStart = true;
        while (true)
        {
            if (c == -1)
            {
                record.Add(_field.ToString());
                return record;
            }
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    _field.Append(ch);
                }
            }
            else if (ch == '"' && atFieldStart)
            {
                quoted = true;
                atFieldStart = false;
            }
            else if (ch == delimiter)
            {
                record.Add(_field.ToString());
                _field.Clear();
                atFieldStart = true;
            }
            else if (ch == '\n' || ch == '\r')
            {
                if (ch == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }
                record.Add(_field.ToString());
                return record;
            }
            else
            {
                _field.Append(ch);
                atFieldStart = false;
            }
            c = reader.Read();
        }
    }
}
