using System.Globalization;
using System.Text;

namespace Cairn.Benchmarks.Progress;

/// <summary>
/// Catalogs of any size for one game: dialogue points matched on a conversation and one of several nodes
/// (<c>in:</c> lists), quest points matched on a quest, some with a start and a count, in units of 20.
/// </summary>
internal static class CatalogGenerator
{
    public static string Yaml(string game, int points)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"game: {game}");
        yaml.AppendLine("units:");
        for (var u = 0; u < (points + 19) / 20; u++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {{ id: U{u + 1}, title: Unit {u + 1} }}");
        }
        yaml.AppendLine("points:");
        for (var i = 0; i < points; i++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - id: U{i / 20 + 1}.P{i % 20 + 1}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    unit: U{i / 20 + 1}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    title: Point {i + 1}");
            if (i % 3 == 0)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    complete: {{ eventType: questEvent, data: {{ questEventType: questFinishEvent, questId: {i + 1} }} }}");
            }
            else
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    complete: {{ eventType: DialogueEvent, data: {{ conversationId: {i + 1}, nodeId: {{ in: [40, 41, 42] }} }} }}");
            }
            if (i % 4 == 0)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    start: {{ eventType: DialogueEvent, data: {{ conversationId: {i + 1}, nodeId: 1 }} }}");
                yaml.AppendLine(CultureInfo.InvariantCulture, $"    count: {{ eventType: DialogueEvent, data: {{ conversationId: {i + 1}, nodeId: 12 }} }}");
                yaml.AppendLine("    green: { count: { max: 2 } }");
            }
        }
        return yaml.ToString();
    }
}
