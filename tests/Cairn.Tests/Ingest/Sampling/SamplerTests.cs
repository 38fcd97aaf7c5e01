using System.Security.Cryptography;
using System.Text;
using Cairn.Catalogs;
using Cairn.Ingest.Sampling;

namespace Cairn.Tests.Ingest.Sampling;

/// <summary>The deterministic sampling function and the catalog's <c>sampling:</c> section.</summary>
public sealed class SamplerTests
{
    /// <summary>The documented function, computed here the long way (hex digest → integer) to hold the implementation to the words.</summary>
    private static double Documented(string playerKey, string eventType)
    {
        var hex = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(playerKey + eventType)))[..16];
        return (double)System.Numerics.BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber) / Math.Pow(2, 64);
    }

    [Fact]
    public void Issue_14_the_position_is_the_documented_hash_and_a_higher_rate_keeps_everyone_a_lower_one_kept()
    {
        var keys = Enumerable.Range(0, 10_000).Select(i => $"pk_{i:D5}").ToList();

        Assert.All(keys.Take(200), k => Assert.Equal(Documented(k, "client_tick"), Sampler.Position(k, "client_tick"), 12));
        var tenth = keys.Where(k => Sampler.Keep(k, "client_tick", 0.1)).ToHashSet();
        var half = keys.Where(k => Sampler.Keep(k, "client_tick", 0.5)).ToHashSet();
        Assert.Subset(half, tenth);
        Assert.InRange(tenth.Count, 900, 1100);
        Assert.InRange(half.Count, 4800, 5200);
        Assert.Equal(keys.Count, keys.Count(k => Sampler.Keep(k, "client_tick", 1)));
        Assert.Equal(0, keys.Count(k => Sampler.Keep(k, "client_tick", 0)));
        // Another event type samples other players: the decision is per (player, event type).
        Assert.NotEqual(tenth, keys.Where(k => Sampler.Keep(k, "damage_dealt", 0.1)).ToHashSet());
    }

    [Fact]
    public void Issue_14_rules_come_first_then_the_preset_and_unmatched_types_are_never_sampled()
    {
        const string yaml = """
            game: t
            sampling:
              preset: seeds
              rules:
                - { eventType: page_view, rate: 50% }
                - { category: combat, rate: 0.5 }
            points: []
            """;

        var sampling = CatalogLoader.Load("t.yaml", yaml).Sampling;

        Assert.Equal(0.5, sampling.RateOf("page_view").Rate);
        Assert.Equal("t.yaml:5", sampling.RateOf("page_view").Rule!.Source);
        Assert.Equal(0.5, sampling.RateOf("damage_dealt").Rate);
        Assert.Equal(0.01, sampling.RateOf("mouse_move").Rate);
        Assert.Equal(0.1, sampling.RateOf("api_response_time").Rate);
        Assert.Equal(0.1, sampling.RateOf("client_tick").Rate);
        Assert.Equal((1.0, (SamplingRule?)null), sampling.RateOf("game_stage_complete"));
        Assert.Equal((1.0, (SamplingRule?)null), sampling.RateOf("levelComplete"));
    }

    [Theory]
    [InlineData("sampling:\n  rules:\n    - { eventType: x, rate: 2 }\n", 4, "'rate' must be from 0 to 1")]
    [InlineData("sampling:\n  rules:\n    - { eventType: x, rate: often }\n", 4, "'rate' must be a number from 0 to 1 or a percentage")]
    [InlineData("sampling:\n  rules:\n    - { eventType: x, category: combat, rate: 1 }\n", 4, "exactly one of 'eventType' or 'category'")]
    [InlineData("sampling:\n  rules:\n    - { category: fun, rate: 1 }\n", 4, "unknown category 'fun'")]
    [InlineData("sampling:\n  rules:\n    - { eventType: x }\n", 4, "missing 'rate'")]
    [InlineData("sampling:\n  preset: lots\n", 3, "unknown sampling preset 'lots'")]
    [InlineData("sampling:\n  rate: 1\n", 3, "unknown key 'rate' in 'sampling'")]
    public void Issue_14_a_bad_sampling_rule_names_the_file_and_line(string section, int line, string problem)
    {
        var ex = Assert.Throws<CatalogException>(() => CatalogLoader.Load("games/t.yaml", "game: t\n" + section + "points: []\n"));

        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }
}
