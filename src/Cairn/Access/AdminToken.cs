namespace Cairn.Access;

/// <summary>The admin token in force for this process (configured, or generated for a development start).</summary>
internal sealed class AdminToken(string token)
{
    private readonly string _hash = SecretHash.Of(token);

    public bool Matches(string candidate) => MatchesHash(SecretHash.Of(candidate));

    public bool MatchesHash(string candidateHash) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(_hash), System.Text.Encoding.ASCII.GetBytes(candidateHash));
}
