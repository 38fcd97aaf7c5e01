using System.Text;
using Cairn.Identity;

namespace Cairn.Tests.Identity;

public sealed class PlayerKeysTests
{
    private static readonly PlayerKeys Keys = new(Encoding.UTF8.GetBytes("pepper-one-0123456789abcdef"), 1);

    [Fact]
    public void Same_org_and_player_give_the_same_key_every_time()
    {
        var first = Keys.Compute("org-1", "alice@example.com");

        var again = new PlayerKeys(Encoding.UTF8.GetBytes("pepper-one-0123456789abcdef"), 1).Compute("org-1", "alice@example.com");

        Assert.Equal(first, again);
    }

    [Theory]
    [InlineData("ALICE@example.com")]
    [InlineData("  alice@example.com ")]
    [InlineData("\tAlice@Example.COM\n")]
    public void Key_ignores_case_and_surrounding_whitespace(string variant)
    {
        Assert.Equal(Keys.Compute("org-1", "alice@example.com"), Keys.Compute("org-1", variant));
    }

    [Fact]
    public void Different_players_get_different_keys()
    {
        Assert.NotEqual(Keys.Compute("org-1", "alice@example.com"), Keys.Compute("org-1", "bob@example.com"));
    }

    [Fact]
    public void Same_player_in_another_org_gets_another_key()
    {
        Assert.NotEqual(Keys.Compute("org-1", "alice@example.com"), Keys.Compute("org-2", "alice@example.com"));
    }

    [Fact]
    public void Another_pepper_gives_another_key()
    {
        var other = new PlayerKeys(Encoding.UTF8.GetBytes("pepper-two-0123456789abcdef"), 1);

        Assert.NotEqual(Keys.Compute("org-1", "alice@example.com"), other.Compute("org-1", "alice@example.com"));
    }

    [Fact]
    public void Key_has_the_version_prefix_and_128_bits_of_hex_and_no_raw_id()
    {
        var key = Keys.Compute("org-1", "alice@example.com");
        var v2 = new PlayerKeys(Encoding.UTF8.GetBytes("pepper-one-0123456789abcdef"), 2).Compute("org-1", "alice@example.com");

        Assert.Matches("^p1_[0-9a-f]{32}$", key);
        Assert.Matches("^p2_[0-9a-f]{32}$", v2);
        Assert.DoesNotContain("alice", key, StringComparison.OrdinalIgnoreCase);
        Assert.True(PlayerKeys.LooksLikeKey(key));
    }

    [Fact]
    public void Long_player_ids_are_keyed_too()
    {
        var longId = new string('x', 1000);

        var key = Keys.Compute("org-1", longId);

        Assert.Matches("^p1_[0-9a-f]{32}$", key);
        Assert.NotEqual(key, Keys.Compute("org-1", longId + "y"));
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("p1_")]
    [InlineData("p1_abc;drop")]
    [InlineData("x1_0123456789abcdef")]
    public void Strings_that_are_not_keys_are_not_taken_for_keys(string value)
    {
        Assert.False(PlayerKeys.LooksLikeKey(value));
    }
}
