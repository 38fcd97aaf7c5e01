namespace Cairn.Tests.Support;

/// <summary>
/// How a test starts its <see cref="TestServer"/>: on a SQLite file, or on a fresh PostgreSQL database the server owns.
/// The abstract HTTP test classes take one from their store subclass.
/// </summary>
internal delegate Task<TestServer> StartServer(IReadOnlyDictionary<string, string?>? overrides, IReadOnlyDictionary<string, string>? catalogs);
