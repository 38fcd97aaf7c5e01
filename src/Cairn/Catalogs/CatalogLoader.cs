using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Catalogs;

/// <summary>
/// Reads and validates game catalogs (one YAML file per game, ARCHITECTURE §4). Every error names the
/// file, the line and what is wrong.
/// </summary>
internal static partial class CatalogLoader
{
    private static readonly string[] TopLevelKeys = ["game", "version", "title", "eventTypes", "units", "points", "mastery", "state", "achievements", "sampling", "leaderboards", "sessions", "funnels"];
    private static readonly string[] PointKeys = ["id", "unit", "title", "complete", "completeAny", "start", "count", "green"];
    private static readonly string[] PatternKeys = ["name", "eventType", "data"];
    private static readonly string[] GreenKeys = ["durationSeconds", "count"];
    private static readonly string[] BoundKeys = ["min", "max"];

    /// <summary>The files of a catalogs directory, in a stable order.</summary>
    public static IEnumerable<string> Files(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.yaml").Concat(Directory.EnumerateFiles(directory, "*.yml")).Order(StringComparer.Ordinal)
            : [];

    /// <summary>Field types of every catalog in a directory (for the normalizer); throws on the first broken file.</summary>
    public static EventSchemas LoadDirectory(string directory)
    {
        var all = new Dictionary<(string, string), IReadOnlyDictionary<string, FieldType>>();
        foreach (var file in Files(directory))
        {
            foreach (var (key, value) in LoadSchemas(file, File.ReadAllText(file)))
            {
                all[key] = value;
            }
        }
        return new EventSchemas(all);
    }

    public static Dictionary<(string, string), IReadOnlyDictionary<string, FieldType>> LoadSchemas(string fileName, string yaml)
    {
        var catalog = Load(fileName, yaml);
        return catalog.Schemas.ToDictionary(s => (catalog.Game, s.Key), s => s.Value);
    }

    public static GameCatalog Load(string fileName, string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new CatalogException(fileName, (int)ex.Start.Line, $"not valid YAML: {ex.InnerException?.Message ?? ex.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new CatalogException(fileName, 1, "a catalog must be a mapping with at least a 'game' key");
        }
        var reader = new Reader(fileName);
        return reader.Catalog(root);
    }

    private sealed partial class Reader(string file)
    {
        private readonly Dictionary<string, Dictionary<string, FieldType>> _schemas = new(StringComparer.Ordinal);
        private readonly HashSet<(string, string)> _declared = [];

        // Every error found; a part of the file that is wrong is skipped and the reading goes on, so one run
        // reports all of a file's mistakes. The catalog is returned only when there are none.
        private readonly List<CatalogException> _errors = [];

        public GameCatalog Catalog(YamlMappingNode root)
        {
            CheckKeys(root, TopLevelKeys, "the catalog");
            var game = Try(() => RequiredScalar(root, "game", "the catalog"));
            if (Get(root, "eventTypes") is { } eventTypes)
            {
                Try(() => EventTypes(eventTypes));
            }
            var units = new List<Unit>();
            if (Get(root, "units") is { } unitsNode)
            {
                foreach (var item in Try(() => Sequence(unitsNode, "'units'")) ?? [])
                {
                    Try(() =>
                    {
                        var map = Mapping(item, "a unit");
                        CheckKeys(map, ["id", "title"], "a unit");
                        var id = RequiredScalar(map, "id", "a unit");
                        if (units.Any(u => u.Id == id))
                        {
                            throw Error(map, $"duplicate unit id '{id}'");
                        }
                        units.Add(new Unit(id, OptionalScalar(map, "title")));
                    });
                }
            }
            var points = new List<PointDefinition>();
            var pointIds = new HashSet<string>(StringComparer.Ordinal);
            if (Get(root, "points") is { } pointsNode)
            {
                foreach (var item in Try(() => Sequence(pointsNode, "'points'")) ?? [])
                {
                    Try(() =>
                    {
                        var map = Mapping(item, "a point");
                        var id = Get(map, "id") is YamlScalarNode { Value: { Length: > 0 } text } ? text : null;
                        if (id is not null && !pointIds.Add(id))
                        {
                            Record(Error(item, $"duplicate point id '{id}'"));
                        }
                        if (Point(map, points.Count, units) is { } point && _errors.Count == 0)
                        {
                            points.Add(point);
                        }
                    });
                }
            }
            var mastery = Get(root, "mastery") is { } masteryNode ? new Mastery.MasterySettingsReader(file, Record).Read(masteryNode) : null;
            var evidence = Get(root, "mastery") is { } evidenceNode ? MasteryEvidenceSection(evidenceNode, points) : Mastery.MasteryEvidenceRules.None;
            var playerState = PlayerStateSections(root);
            var sampling = SamplingSection(root);
            var leaderboards = LeaderboardsSection(root);
            var sessions = SessionsSection(root);
            var funnels = FunnelsSection(root);
            if (_errors.Count > 0)
            {
                throw _errors.Count == 1 ? _errors[0] : new CatalogException([.. _errors.OrderBy(e => e.Line)]);
            }
            var schemas = _schemas.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, FieldType>)s.Value, StringComparer.Ordinal);
            return new GameCatalog(game!, file, units, points, schemas) { Title = OptionalScalar(root, "title"), Mastery = (mastery ?? Mastery.MasterySettings.Default).WithEvidence(evidence), PlayerState = playerState, Sampling = sampling, Leaderboards = leaderboards, Sessions = sessions, Funnels = funnels };
        }

        private void Record(CatalogException error) => _errors.Add(error);

        private void Try(Action read)
        {
            try
            {
                read();
            }
            catch (CatalogException ex)
            {
                Record(ex);
            }
        }

        private T? Try<T>(Func<T> read)
            where T : class
        {
            try
            {
                return read();
            }
            catch (CatalogException ex)
            {
                Record(ex);
                return null;
            }
        }

        private void EventTypes(YamlNode node)
        {
            foreach (var (typeNode, body) in Mapping(node, "'eventTypes'").Children)
            {
                Try(() =>
                {
                    var eventType = Scalar(typeNode);
                    var bodyMap = Mapping(body, $"event type '{eventType}'");
                    CheckKeys(bodyMap, ["data"], $"event type '{eventType}'");
                    var fields = SchemaFor(eventType);
                    if (Get(bodyMap, "data") is not { } data)
                    {
                        return;
                    }
                    foreach (var (fieldNode, typeValue) in Mapping(data, $"'data' of '{eventType}'").Children)
                    {
                        Try(() =>
                        {
                            var field = Scalar(fieldNode);
                            var typeName = Scalar(typeValue);
                            fields[field] = typeName switch
                            {
                                "string" => FieldType.String,
                                "integer" => FieldType.Integer,
                                "number" => FieldType.Number,
                                "boolean" => FieldType.Boolean,
                                _ => throw Error(typeValue, $"field '{field}' of '{eventType}' has type '{typeName}' (expected string, integer, number or boolean)"),
                            };
                            _declared.Add((eventType, field));
                        });
                    }
                });
            }
        }

        private Dictionary<string, FieldType> SchemaFor(string eventType)
        {
            if (!_schemas.TryGetValue(eventType, out var fields))
            {
                _schemas[eventType] = fields = new Dictionary<string, FieldType>(StringComparer.Ordinal);
            }
            return fields;
        }

        /// <summary>A point, or null when something in it is wrong (each mistake is recorded).</summary>
        private PointDefinition? Point(YamlMappingNode map, int order, List<Unit> units)
        {
            var errorsBefore = _errors.Count;
            CheckKeys(map, PointKeys, "a point");
            var id = RequiredScalar(map, "id", "a point");
            var unit = OptionalScalar(map, "unit");
            if (unit is not null && units.Count > 0 && units.All(u => u.Id != unit))
            {
                Record(Error(Get(map, "unit")!, $"point '{id}' names unit '{unit}', which 'units' does not list"));
            }
            var complete = new List<EventPattern>();
            var completeGiven = false;
            if (Get(map, "complete") is { } one)
            {
                completeGiven = true;
                if (Try(() => Pattern(one, $"'complete' of point '{id}'")) is { } pattern)
                {
                    complete.Add(pattern);
                }
            }
            if (Get(map, "completeAny") is { } any)
            {
                if (completeGiven)
                {
                    Record(Error(any, $"point '{id}' has both 'complete' and 'completeAny'; use one"));
                }
                else
                {
                    completeGiven = true;
                    var items = Try(() => Sequence(any, $"'completeAny' of point '{id}'"))?.ToList();
                    foreach (var item in items ?? [])
                    {
                        if (Try(() => Pattern(item, $"'completeAny' of point '{id}'")) is { } pattern)
                        {
                            complete.Add(pattern);
                        }
                    }
                    if (items is { Count: 0 })
                    {
                        Record(Error(any, $"'completeAny' of point '{id}' is empty"));
                    }
                }
            }
            if (!completeGiven)
            {
                Record(Error(map, $"point '{id}' has no completion: give 'complete' or 'completeAny'"));
            }
            var start = Get(map, "start") is { } s ? Try(() => Pattern(s, $"'start' of point '{id}'")) : null;
            var count = Get(map, "count") is { } c ? Try(() => Pattern(c, $"'count' of point '{id}'")) : null;
            if (_errors.Count > errorsBefore)
            {
                return null;
            }
            var green = GreenRule.Always;
            if (Get(map, "green") is { } g)
            {
                var greenMap = Mapping(g, $"'green' of point '{id}'");
                CheckKeys(greenMap, GreenKeys, $"'green' of point '{id}'");
                var (dMin, dMax) = Bounds(Get(greenMap, "durationSeconds"), $"'green.durationSeconds' of point '{id}'");
                var (cMin, cMax) = Bounds(Get(greenMap, "count"), $"'green.count' of point '{id}'");
                if (cMin is { } lo && lo % 1 != 0 || cMax is { } hi && hi % 1 != 0)
                {
                    throw Error(Get(greenMap, "count")!, $"'green.count' of point '{id}' takes whole numbers");
                }
                green = new GreenRule(dMin, dMax, cMin is null ? null : checked((int)cMin), cMax is null ? null : checked((int)cMax));
                if (green.HasDuration && start is null)
                {
                    throw Error(g, $"point '{id}' has a duration rule but no 'start' to measure from");
                }
                if (green.HasCount && count is null)
                {
                    throw Error(g, $"point '{id}' has a count rule but no 'count' pattern to count");
                }
            }
            var rule = string.Join(";", complete.Select(p => p.Describe())) + "|start=" + start?.Describe() + "|count=" + count?.Describe()
                + "|green=" + green.DurationMin + "," + green.DurationMax + "," + green.CountMin + "," + green.CountMax;
            var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rule)))[..12];
            return new PointDefinition(id, unit, OptionalScalar(map, "title"), order, complete, start, count, green, version);
        }

        private (double? Min, double? Max) Bounds(YamlNode? node, string what)
        {
            if (node is null)
            {
                return (null, null);
            }
            var map = Mapping(node, what);
            CheckKeys(map, BoundKeys, what);
            double? min = Get(map, "min") is { } minNode ? NumberOf(minNode, what + ".min") : null;
            double? max = Get(map, "max") is { } maxNode ? NumberOf(maxNode, what + ".max") : null;
            if (min is null && max is null)
            {
                throw Error(node, $"{what} needs 'min', 'max' or both");
            }
            if (min > max)
            {
                throw Error(node, $"{what} has min greater than max");
            }
            return (min, max);
        }

        private double NumberOf(YamlNode node, string what) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : throw Error(node, $"{what} must be a number ≥ 0");

        private EventPattern Pattern(YamlNode node, string what)
        {
            var map = Mapping(node, what);
            CheckKeys(map, PatternKeys, what);
            var eventType = RequiredScalar(map, "eventType", what);
            var data = new List<(string, IReadOnlyList<string>)>();
            if (Get(map, "data") is { } dataNode)
            {
                foreach (var (fieldNode, valueNode) in Mapping(dataNode, $"'data' of {what}").Children)
                {
                    var field = Scalar(fieldNode);
                    var values = new List<string>();
                    if (valueNode is YamlMappingNode inMap)
                    {
                        CheckKeys(inMap, ["in"], $"'data.{field}' of {what}");
                        var list = Get(inMap, "in") ?? throw Error(inMap, $"'data.{field}' of {what}: expected a value or 'in: [...]'");
                        foreach (var item in Sequence(list, $"'in' of 'data.{field}'"))
                        {
                            values.Add(Value(item, eventType, field));
                        }
                        if (values.Count == 0)
                        {
                            throw Error(list, $"'in' of 'data.{field}' is empty");
                        }
                    }
                    else
                    {
                        values.Add(Value(valueNode, eventType, field));
                    }
                    data.Add((field, values));
                }
            }
            // The name is what the pages say (not part of the rule: renaming a pattern recomputes nothing).
            return new EventPattern(eventType, data) { Name = OptionalScalar(map, "name") };
        }

        /// <summary>A match value; its YAML type (plain 20 vs quoted "20") also implies the field's schema type.</summary>
        private string Value(YamlNode node, string eventType, string field)
        {
            if (node is not YamlScalarNode { Value: { } text } scalar)
            {
                throw Error(node, $"'data.{field}' must be a number, a string or a boolean (or 'in: [...]')");
            }
            string canonical;
            FieldType type;
            if (scalar.Style != ScalarStyle.Plain)
            {
                (canonical, type) = (MatchValue.Text(text), FieldType.String);
            }
            else if (text is "true" or "false")
            {
                (canonical, type) = (MatchValue.Bool(text == "true"), FieldType.Boolean);
            }
            else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                (canonical, type) = (MatchValue.Number(number), text.Contains('.', StringComparison.Ordinal) ? FieldType.Number : FieldType.Integer);
            }
            else
            {
                (canonical, type) = (MatchValue.Text(text), FieldType.String);
            }
            var fields = SchemaFor(eventType);
            if (_declared.Contains((eventType, field)))
            {
                if (fields[field] != type && !(fields[field] == FieldType.Number && type == FieldType.Integer))
                {
                    throw Error(node, $"'data.{field}' of '{eventType}' is declared {fields[field].ToString().ToLowerInvariant()} but matched with {type.ToString().ToLowerInvariant()} {text}");
                }
            }
            else if (fields.TryGetValue(field, out var existing) && existing != type)
            {
                fields[field] = (existing, type) is (FieldType.Integer, FieldType.Number) or (FieldType.Number, FieldType.Integer)
                    ? FieldType.Number
                    : throw Error(node, $"'data.{field}' of '{eventType}' is matched as {existing.ToString().ToLowerInvariant()} elsewhere and as {type.ToString().ToLowerInvariant()} here");
            }
            else
            {
                fields[field] = type;
            }
            return canonical;
        }

        /// <summary>Records every unknown key (the known ones are still read).</summary>
        private void CheckKeys(YamlMappingNode map, string[] allowed, string what)
        {
            foreach (var (keyNode, _) in map.Children)
            {
                var key = Try(() => Scalar(keyNode));
                if (key is not null && !allowed.Contains(key))
                {
                    Record(Error(keyNode, $"unknown key '{key}' in {what} (expected one of: {string.Join(", ", allowed)})"));
                }
            }
        }

        private static YamlNode? Get(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        private string RequiredScalar(YamlMappingNode map, string key, string what)
        {
            var node = Get(map, key) ?? throw Error(map, $"{what} is missing '{key}'");
            var value = Scalar(node);
            return value.Length > 0 ? value : throw Error(node, $"'{key}' of {what} is empty");
        }

        private string? OptionalScalar(YamlMappingNode map, string key) => Get(map, key) is { } node ? Scalar(node) : null;

        private string Scalar(YamlNode node) =>
            node is YamlScalarNode { Value: { } value } ? value : throw Error(node, "expected a plain value here");

        private YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping (key: value)");

        private IEnumerable<YamlNode> Sequence(YamlNode node, string what) =>
            node as YamlSequenceNode ?? throw Error(node, $"{what} must be a list");

        private CatalogException Error(YamlNode node, string problem) => new(file, (int)node.Start.Line, problem);
    }
}
