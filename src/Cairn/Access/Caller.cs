namespace Cairn.Access;

/// <summary>Who made a request, as proven by its bearer token.</summary>
internal abstract record Caller
{
    public sealed record Admin : Caller;

    public sealed record IngestKey(string KeyId, string OrgId, string Game) : Caller;
}
