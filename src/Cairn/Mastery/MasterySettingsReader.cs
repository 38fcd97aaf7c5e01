using System.Collections.Frozen;
using System.Globalization;
using Cairn.Catalogs;
using YamlDotNet.RepresentationModel;

namespace Cairn.Mastery;

/// <summary>
/// Reads a catalog's <c>mastery:</c> section (docs/catalogs-and-progress.md): <c>params</c> (prior, learn, guess, slip,
/// forget), <c>threshold</c> (percent), <c>levels</c> (familiar, proficient, mastered) and <c>standards</c> (per standard id:
/// <c>params</c>, <c>threshold</c>, <c>name</c>). Every mistake is reported with its line; the section is then ignored.
/// </summary>
internal sealed class MasterySettingsReader(string file, Action<CatalogException> record)
{
    // 'evidence' and 'concepts' are read with the rest of the catalog (they use its points and patterns): CatalogLoader.Evidence.cs.
    private static readonly string[] SectionKeys = ["params", "threshold", "levels", "standards", "evidence", "concepts"];
    private static readonly string[] ParamKeys = ["prior", "learn", "guess", "slip", "forget"];
    private static readonly string[] LevelKeys = ["familiar", "proficient", "mastered"];
    private static readonly string[] StandardKeys = ["params", "threshold", "name"];

    private int _errors;

    public MasterySettings? Read(YamlNode node)
    {
        if (Mapping(node, "'mastery'") is not { } map)
        {
            return null;
        }
        CheckKeys(map, SectionKeys, "'mastery'");
        var parameters = Get(map, "params") is { } p ? Parameters(p, BktParameters.Default, "'mastery.params'") : BktParameters.Default;
        var threshold = Get(map, "threshold") is { } t ? Threshold(t, "'mastery.threshold'") : MasterySettings.DefaultThreshold;
        var levels = MasteryLevels.Default;
        if (Get(map, "levels") is { } l && Mapping(l, "'mastery.levels'") is { } levelMap)
        {
            CheckKeys(levelMap, LevelKeys, "'mastery.levels'");
            levels = new MasteryLevels(
                Fraction(Get(levelMap, "familiar"), MasteryLevels.Default.Familiar, "'mastery.levels.familiar'"),
                Fraction(Get(levelMap, "proficient"), MasteryLevels.Default.Proficient, "'mastery.levels.proficient'"),
                Fraction(Get(levelMap, "mastered"), MasteryLevels.Default.Mastered, "'mastery.levels.mastered'"));
            if (levels.Problem() is { } problem)
            {
                Error(l, $"'mastery.levels': {problem}");
            }
        }
        var standards = new Dictionary<string, StandardSettings>(StringComparer.Ordinal);
        if (Get(map, "standards") is { } s && Mapping(s, "'mastery.standards'") is { } standardMap)
        {
            foreach (var (idNode, body) in standardMap.Children)
            {
                var id = (idNode as YamlScalarNode)?.Value;
                if (string.IsNullOrWhiteSpace(id))
                {
                    Error(idNode, "a standard id in 'mastery.standards' must be a plain value");
                    continue;
                }
                var what = $"standard '{id}' of 'mastery.standards'";
                if (Mapping(body, what) is not { } bodyMap)
                {
                    continue;
                }
                CheckKeys(bodyMap, StandardKeys, what);
                standards[id] = new StandardSettings(
                    Get(bodyMap, "params") is { } sp ? Parameters(sp, parameters, $"'params' of {what}") : null,
                    Get(bodyMap, "threshold") is { } st ? Threshold(st, $"'threshold' of {what}") : null,
                    Get(bodyMap, "name") is { } sn ? Name(sn, $"'name' of {what}") : null);
            }
        }
        return _errors > 0 ? null : new MasterySettings(parameters, threshold, levels, standards.ToFrozenDictionary(StringComparer.Ordinal)) { FromCatalog = true };
    }

    /// <summary>Parameters given in part take the rest from <paramref name="defaults"/>.</summary>
    private BktParameters Parameters(YamlNode node, BktParameters defaults, string what)
    {
        if (Mapping(node, what) is not { } map)
        {
            return defaults;
        }
        CheckKeys(map, ParamKeys, what);
        var result = new BktParameters(
            Fraction(Get(map, "prior"), defaults.Prior, what + ".prior"),
            Fraction(Get(map, "learn"), defaults.Learn, what + ".learn"),
            Fraction(Get(map, "guess"), defaults.Guess, what + ".guess"),
            Fraction(Get(map, "slip"), defaults.Slip, what + ".slip"),
            Fraction(Get(map, "forget"), defaults.Forget, what + ".forget"));
        if (result.Problem() is { } problem)
        {
            Error(node, $"{what}: {problem}");
        }
        return result;
    }

    /// <summary>A standard's name for the pages and the class matrix: one line of text.</summary>
    private string? Name(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } text } && text.Trim().Length is > 0 and <= 200 && !text.Any(char.IsControl))
        {
            return text.Trim();
        }
        Error(node, $"{what} must be one line of 1–200 characters");
        return null;
    }

    /// <summary>A threshold is written in percent (70), kept as a fraction (0.7).</summary>
    private double Threshold(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value is > 0 and <= 100)
        {
            return value / 100;
        }
        Error(node, $"{what} must be a percentage above 0 and at most 100 (e.g. 70)");
        return MasterySettings.DefaultThreshold;
    }

    private double Fraction(YamlNode? node, double fallback, string what)
    {
        if (node is null)
        {
            return fallback;
        }
        if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value is >= 0 and <= 1)
        {
            return value;
        }
        Error(node, $"{what} must be a number from 0 to 1");
        return fallback;
    }

    private void CheckKeys(YamlMappingNode map, string[] allowed, string what)
    {
        foreach (var (keyNode, _) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } || !allowed.Contains(key))
            {
                Error(keyNode, $"unknown key '{(keyNode as YamlScalarNode)?.Value}' in {what} (expected one of: {string.Join(", ", allowed)})");
            }
        }
    }

    private static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private YamlMappingNode? Mapping(YamlNode node, string what)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }
        Error(node, $"{what} must be a mapping (key: value)");
        return null;
    }

    private void Error(YamlNode node, string problem)
    {
        _errors++;
        record(new CatalogException(file, (int)node.Start.Line, problem));
    }
}
