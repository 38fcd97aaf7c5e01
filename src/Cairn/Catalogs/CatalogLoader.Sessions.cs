using Cairn.PlaySessions;
using YamlDotNet.RepresentationModel;

namespace Cairn.Catalogs;

/// <summary>The optional <c>sessions:</c> section (docs/analytics.md#sessions): <c>gapMinutes</c> and <c>maxHours</c>.</summary>
internal static partial class CatalogLoader
{
    private static readonly string[] SessionKeys = ["gapMinutes", "maxHours"];

    private sealed partial class Reader
    {
        /// <summary>
        /// The game's session settings: null without a <c>sessions:</c> section (the game keeps no sessions), the defaults
        /// for what the section leaves out (every mistake recorded).
        /// </summary>
        private SessionSettings? SessionsSection(YamlMappingNode root)
        {
            if (Get(root, "sessions") is not { } node)
            {
                return null;
            }
            var settings = SessionSettings.Default;
            if (node is YamlScalarNode { Value: null or "" })
            {
                return settings;
            }
            if (Try(() => Mapping(node, "'sessions'")) is not { } map)
            {
                return settings;
            }
            CheckKeys(map, SessionKeys, "'sessions'");
            if (Get(map, "gapMinutes") is { } gap)
            {
                Try(() =>
                {
                    var minutes = NumberOf(gap, "'sessions.gapMinutes'");
                    settings = minutes is > 0 and <= 1440
                        ? settings with { Gap = TimeSpan.FromMinutes(minutes) }
                        : throw Error(gap, "'sessions.gapMinutes' must be more than 0 and at most 1440 (a day)");
                });
            }
            if (Get(map, "maxHours") is { } max)
            {
                Try(() =>
                {
                    var hours = NumberOf(max, "'sessions.maxHours'");
                    settings = hours is > 0 and <= 168
                        ? settings with { MaxLength = TimeSpan.FromHours(hours) }
                        : throw Error(max, "'sessions.maxHours' must be more than 0 and at most 168 (a week)");
                });
            }
            if (settings.MaxLength < settings.Gap)
            {
                Record(Error(node, "'sessions.maxHours' must not be shorter than 'sessions.gapMinutes'"));
            }
            return settings;
        }
    }
}
