namespace Cairn.Storage;

/// <summary>The store could not be reached or refused a write; callers answer 503 and the client retries.</summary>
internal sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
