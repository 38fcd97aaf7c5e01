using Cairn.Catalogs;
using Cairn.PlaySessions;

namespace Cairn.Tests.PlaySessions;

/// <summary>The catalog's <c>sessions:</c> section: read, defaulted, and refused with the file and line when wrong.</summary>
public sealed class SessionsCatalogTests
{
    [Fact]
    public void Issue_15_sessions_settings_are_read_and_default_to_30_minutes_and_24_hours()
    {
        var set = CatalogLoader.Load("g.yaml", "game: g\nsessions: {gapMinutes: 15, maxHours: 6}\n").Sessions;
        var defaults = CatalogLoader.Load("g.yaml", "game: g\nsessions: {}\n").Sessions;
        var empty = CatalogLoader.Load("g.yaml", "game: g\nsessions:\n").Sessions;
        var none = CatalogLoader.Load("g.yaml", "game: g\n").Sessions;

        Assert.Equal(new SessionSettings(TimeSpan.FromMinutes(15), TimeSpan.FromHours(6)), set);
        Assert.Equal(SessionSettings.Default, defaults);
        Assert.Equal(SessionSettings.Default, empty);
        Assert.Null(none);
    }

    [Theory]
    [InlineData("sessions: {gapMinutes: 0}", "g.yaml:2", "'sessions.gapMinutes' must be more than 0")]
    [InlineData("sessions:\n  maxHours: 200", "g.yaml:3", "'sessions.maxHours' must be more than 0 and at most 168")]
    [InlineData("sessions: {gap: 5}", "g.yaml:2", "gap")]
    [InlineData("sessions: {gapMinutes: 120, maxHours: 1}", "g.yaml:2", "must not be shorter")]
    public void Issue_15_wrong_sessions_settings_are_refused_with_file_and_line(string section, string where, string what)
    {
        var error = Assert.Throws<CatalogException>(() => CatalogLoader.Load("g.yaml", "game: g\n" + section + "\n"));

        Assert.Contains(where, error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }
}
