namespace Cairn.Ingest;

/// <summary>The body of a 200 answer to <c>POST /v1/events</c>.</summary>
internal sealed record IngestResponse(int Accepted, int Duplicates, int Rejected, int Dropped, IReadOnlyList<EventResult> Results)
{
    public static IngestResponse From(IReadOnlyList<EventResult> results)
    {
        int accepted = 0, duplicates = 0, rejected = 0, dropped = 0;
        foreach (var r in results)
        {
            switch (r.Status)
            {
                case EventResult.Accepted: accepted++; break;
                case EventResult.Duplicate: duplicates++; break;
                case EventResult.Dropped: dropped++; break;
                default: rejected++; break;
            }
        }
        return new IngestResponse(accepted, duplicates, rejected, dropped, results);
    }
}
