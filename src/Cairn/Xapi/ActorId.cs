namespace Cairn.Xapi;

/// <summary>An actor's raw player id (its identifier with its kind, e.g. <c>mbox:mailto:a@b.org</c>), its objectType, or why it has none.</summary>
internal sealed record ActorId(string PlayerId, string ObjectType, string? Error);
