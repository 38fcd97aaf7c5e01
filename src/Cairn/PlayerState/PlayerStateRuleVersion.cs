using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Cairn.PlayerState;

/// <summary>
/// The version of a game's state and achievement rules: a hash of everything that decides a state row (waypoints, the playtime threshold, rules,
/// achievement ids, patterns and conditions), not of titles and descriptions (read from the catalog when answered). A state
/// row stores the version it was computed with; rows of another version are recomputed (<see cref="PlayerStateStaleRows"/>).
/// </summary>
internal static class PlayerStateRuleVersion
{
    /// <summary>What a game without state rules counts as: its rows (if any) are recomputed, which removes them.</summary>
    public const string None = "none";

    private static readonly ConditionalWeakTable<PlayerStateRules, string> Versions = [];

    public static string Of(PlayerStateRules rules) => rules.IsEmpty ? None : Versions.GetValue(rules, Compute);

    private static string Compute(PlayerStateRules rules)
    {
        var text = new StringBuilder();
        text.Append("waypoints:").AppendJoin(',', rules.Waypoints).Append('\n');
        text.Append("playtime:gaps<").Append(rules.Inactivity.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var rule in rules.Rules)
        {
            text.Append("rule:").Append(rule.On.Describe());
            foreach (var op in rule.Operations)
            {
                text.Append(';').Append(op.Kind).Append(' ').Append(op.Target.Describe());
                if (op.Amount is { } amount)
                {
                    text.Append(' ').Append(amount.Constant is { } c ? c.ToString("R", CultureInfo.InvariantCulture) : "@" + amount.Field);
                }
            }
            text.Append('\n');
        }
        foreach (var a in rules.Achievements)
        {
            text.Append("achievement:").Append(a.Id).Append(';').Append(a.On?.Describe() ?? "-").Append(';');
            if (a.When is { } when)
            {
                text.Append(when.Counter).Append(">=").Append(when.AtLeast.ToString("R", CultureInfo.InvariantCulture))
                    .Append(';').Append(when.QuestCompleted).Append(';').AppendJoin(',', when.VisitedAll ?? []);
            }
            text.Append('\n');
        }
        return "rules:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }
}
