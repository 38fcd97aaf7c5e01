using System.Text;

namespace Cairn.Import;

/// <summary>
/// Reads CSV (RFC 4180) or TSV records: quoted fields may hold the delimiter, newlines and doubled quotes. A quoted field
/// that is never closed, or text after a closing quote, is an <see cref="ImportException"/> naming the file, line and column.
/// </summary>
internal sealed class DelimitedReader(TextReader reader, char delimiter, string file = "input")
{
    private readonly StringBuilder _field = new();
    private long _line = 1;
    private long _column;
    private bool _lineBreak;

    /// <summary>The line (1-based) the last record returned starts on.</summary>
    public long RecordLine { get; private set; }

    /// <summary>The next record, or null at the end of the input.</summary>
    public List<string>? ReadRecord()
    {
        var c = Read();
        if (c == -1)
        {
            return null;
        }
        RecordLine = _line;
        var record = new List<string>();
        _field.Clear();
        var quoted = false;
        var closed = false;
        var atFieldStart = true;
        (long Line, long Column) opened = default;
        while (true)
        {
            if (c == -1)
            {
                if (quoted)
                {
                    throw ImportException.At(file, opened.Line, opened.Column, "this quoted field is never closed (a missing '\"')");
                }
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
                        Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        closed = true;
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
                opened = (_line, _column);
            }
            else if (ch == delimiter)
            {
                record.Add(_field.ToString());
                _field.Clear();
                atFieldStart = true;
                closed = false;
            }
            else if (ch == '\n' || ch == '\r')
            {
                if (ch == '\r' && reader.Peek() == '\n')
                {
                    Read();
                }
                record.Add(_field.ToString());
                return record;
            }
            else if (closed)
            {
                throw ImportException.At(file, _line, _column,
                    "text after the closing quote of a field (a quote inside a quoted field is written twice: \"\")");
            }
            else
            {
                _field.Append(ch);
                atFieldStart = false;
            }
            c = Read();
        }
    }

    /// <summary>One character, keeping the line and column of it: a line ends at '\n', at "\r\n", or at a lone '\r'.</summary>
    private int Read()
    {
        var c = reader.Read();
        if (_lineBreak)
        {
            _line++;
            _column = 0;
        }
        _column++;
        _lineBreak = c == '\n' || (c == '\r' && reader.Peek() != '\n');
        return c;
    }
}
