namespace Cairn.PlayerState;

/// <summary>One operation of a state rule: what it does, on which id, and (for a counter) by how much.</summary>
internal sealed record StateOperation(StateOperationKind Kind, StateValue Target, StateAmount? Amount = null);
