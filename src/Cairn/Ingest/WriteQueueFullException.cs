namespace Cairn.Ingest;

/// <summary>The writer's queue is full: the server is saturated and the client should retry shortly.</summary>
internal sealed class WriteQueueFullException() : Exception("The write queue is full; retry shortly.");
