namespace Cairn.Storage;

/// <summary>A browser session as stored: hashes only (of the cookie's id and of the token that signed in), its anti-forgery token, its end.</summary>
internal sealed record SessionRecord(string IdHash, string TokenHash, string Csrf, DateTimeOffset Expires);
