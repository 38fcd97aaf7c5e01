namespace Cairn.Tests.Storage;

/// <summary>The facts of <see cref="PrivacyStoreCompliance"/> on the embedded SQLite store.</summary>
public sealed class SqlitePrivacyStoreCompliance() : PrivacyStoreCompliance(new SqliteStoreMaker());
