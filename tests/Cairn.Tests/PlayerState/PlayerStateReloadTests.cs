using Cairn.Catalogs;
using Cairn.Tests.Support;

namespace Cairn.Tests.PlayerState;

/// <summary>State rules reload with their catalog; a broken state section keeps the game's last good rules.</summary>
public sealed class PlayerStateReloadTests
{
    [Fact]
    public void Issue_13_a_reload_swaps_in_new_state_rules_and_a_broken_state_section_keeps_the_last_good_ones()
    {
        using var root = new TempDirectory();
        var file = root.Combine("t.yaml");
        File.WriteAllText(file, "game: t\nachievements:\n  - id: waved\n    on: { eventType: wave }\n");
        var registry = new CatalogRegistry(root.Path, Microsoft.Extensions.Logging.Abstractions.NullLogger<CatalogRegistry>.Instance);
        registry.Reload();

        File.WriteAllText(file, "game: t\nachievements:\n  - id: waved\n    on: { eventType: wave }\n  - id: bowed\n    on: { eventType: bow }\n");
        var good = registry.Reload();
        var rulesAfterGood = registry.Current.For("t")!.PlayerState;
        File.WriteAllText(file, "game: t\nachievements:\n  - id: waved\n    when: { counter: waves }\n");
        var broken = registry.Reload();

        Assert.Empty(good.Errors);
        Assert.Equal(["waved", "bowed"], rulesAfterGood.Achievements.Select(a => a.Id));
        Assert.Contains(broken.Errors, e => e.Contains("t.yaml:4: 'when.counter' of achievement 'waved' needs 'atLeast'", StringComparison.Ordinal));
        Assert.Same(rulesAfterGood, registry.Current.For("t")!.PlayerState);
        Assert.True(registry.Current.For("t")!.PlayerState.Matches("bow", null));
    }
}
