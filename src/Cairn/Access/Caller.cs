namespace Cairn.Access;

/// <summary>Who made a request, as proven by its bearer token or browser session.</summary>
internal abstract record Caller
{
    /// <summary>An id safe to write in logs and the audit log (a key id, never a secret).</summary>
    public abstract string Actor { get; }

    /// <summary>The whole system: the configured admin token, or a read token with the admin role.</summary>
    public sealed record Admin(string KeyId = "admin-token") : Caller
    {
        public override string Actor => KeyId;
    }

    /// <summary>Writes events for one org and game; reads nothing.</summary>
    public sealed record IngestKey(string KeyId, string OrgId, string Game) : Caller
    {
        public override string Actor => KeyId;
    }

    /// <summary>A read token: a role within one org, with the teacher ids or the player it covers.</summary>
    public sealed record Reader(string KeyId, string Role, string OrgId, IReadOnlyList<string> Teachers, string? PlayerKey) : Caller
    {
        public override string Actor => KeyId;
    }

    /// <summary>An LRS credential (HTTP Basic on <c>/xapi/</c>): writes statements for one org and game, reads that org's statements.</summary>
    public sealed record Lrs(string KeyId, string OrgId, string Game) : Caller
    {
        public override string Actor => KeyId;
    }
}
