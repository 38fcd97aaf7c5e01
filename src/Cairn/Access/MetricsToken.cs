namespace Cairn.Access;

/// <summary>The dedicated token for <c>GET /metrics</c> (<see cref="AccessOptions.MetricsToken"/>), compared in constant time like the admin token.</summary>
internal sealed class MetricsToken(string token)
{
    private readonly AdminToken _token = new(token);

    public bool Matches(string candidate) => candidate.Length > 0 && _token.Matches(candidate);
}
