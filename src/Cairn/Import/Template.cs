namespace Cairn.Import;

/// <summary>
/// A field expression of a mapping: a column (<c>col</c>, <c>col.sub</c>), or a template of literal text and
/// placeholders: <c>{col}</c> (the value), <c>{hmac:col}</c> (a keyed hash of it), <c>{sha256:col}</c> (a plain hash).
/// </summary>
internal static class Template
{
    public const string Sha256 = "sha256";
    public const string Hmac = "hmac";

    /// <summary>Literal text, or a column read by the expression (with the hash applied to its value, if any).</summary>
    internal sealed record Part(string Text, bool IsColumn, string? Hash);

    public static bool IsTemplate(string expression) => expression.Contains('{', StringComparison.Ordinal);

    /// <returns>The parts in order (a plain column is one column part); null when a '{' has no '}'.</returns>
    public static List<Part>? Parse(string expression)
    {
        if (!IsTemplate(expression))
        {
            return [new Part(expression, IsColumn: true, Hash: null)];
        }
        var parts = new List<Part>();
        var i = 0;
        while (i < expression.Length)
        {
            var open = expression.IndexOf('{', i);
            if (open < 0)
            {
                parts.Add(new Part(expression[i..], IsColumn: false, Hash: null));
                break;
            }
            var close = expression.IndexOf('}', open);
            if (close < 0)
            {
                return null;
            }
            if (open > i)
            {
                parts.Add(new Part(expression[i..open], IsColumn: false, Hash: null));
            }
            var inner = expression[(open + 1)..close];
            var hash = inner.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && inner[..colon] is Sha256 or Hmac ? inner[..colon] : null;
            parts.Add(new Part(hash is null ? inner : inner[(hash.Length + 1)..], IsColumn: true, hash));
            i = close + 1;
        }
        return parts;
    }
}
