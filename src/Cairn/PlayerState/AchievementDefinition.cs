using Cairn.Catalogs;

namespace Cairn.PlayerState;

/// <summary>A catalog achievement: awarded once per player, by the first event matching <see cref="On"/> or the first that makes <see cref="When"/> hold.</summary>
internal sealed record AchievementDefinition(string Id, string? Title, string? Description, EventPattern? On, AchievementCondition? When);
