using System.Text;
using System.Text.Json;

namespace Cairn.Import;

/// <summary>
/// Finds the first property that appears twice in one JSON object. The parser refuses such JSON without saying where,
/// and an import error must name the line and column.
/// </summary>
internal static class JsonDuplicates
{
    /// <returns>The 1-based line and column (in bytes, as the parser counts) of the second occurrence, and its name; null if none.</returns>
    public static (long Line, long Column, string Name)? Find(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes);
        // One set of names per open object; null for an open array.
        var open = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        open.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        open.Push(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        open.Pop();
                        break;
                    case JsonTokenType.PropertyName when !open.Peek()!.Add(reader.GetString()!):
                        var start = (int)reader.TokenStartIndex;
                        var lineStart = bytes.AsSpan(0, start).LastIndexOf((byte)'\n') + 1;
                        return (bytes.AsSpan(0, start).Count((byte)'\n') + 1, start - lineStart + 1, reader.GetString()!);
                }
            }
        }
        catch (JsonException)
        {
            // Not valid JSON before any duplicate: the parser's own error says where.
        }
        return null;
    }
}
