namespace Cairn.Ingest;

/// <summary>The body of a 200 answer to <c>POST /v1/events</c>.</summary>
internal sealed record IngestResponse(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventResult> Results)
{
    /// <summary>The events of players who opted out (counted as accepted in the answer); for the admin figures.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int OptedOut { get; init; }

    /// <summary>Of <see cref="OptedOut"/>, the events of a category the player declined; for the admin figures.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int DeclinedCategory { get; init; }

    /// <summary>Events left out by the game's sampling rules (status <c>sampled_out</c>); written only when there are any.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    [System.Text.Json.Serialization.JsonPropertyOrder(3)]
    public int SampledOut { get; init; }

    public static IngestResponse From(IReadOnlyList<EventResult> results)
    {
        int accepted = 0, duplicates = 0, rejected = 0, optedOut = 0, sampledOut = 0, declined = 0;
        foreach (var r in results)
        {
            optedOut += r.OptedOut ? 1 : 0;
            declined += r.DeclinedCategory ? 1 : 0;
            switch (r.Status)
            {
                case EventResult.Accepted: accepted++; break;
                case EventResult.Duplicate: duplicates++; break;
                case EventResult.SampledOut: sampledOut++; break;
                default: rejected++; break;
            }
        }
        return new IngestResponse(accepted, duplicates, rejected, results) { OptedOut = optedOut, SampledOut = sampledOut, DeclinedCategory = declined };
    }
}
