namespace Cairn.Dashboard;

/// <summary>Why a student is on the "needs attention" strip, in plain words for the teacher.</summary>
/// <param name="Kind">Stable: <see cref="Attention.Yellow"/>, <see cref="Attention.Inactive"/> or <see cref="Attention.Stuck"/>.</param>
/// <param name="Text">What the strip says ("yellow on 3 points: …").</param>
internal sealed record AttentionReason(string Kind, string Text);
