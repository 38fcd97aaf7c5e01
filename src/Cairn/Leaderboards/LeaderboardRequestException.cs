namespace Cairn.Leaderboards;

/// <summary>A leaderboard read the caller must change: 400 (bad input) or 404 (outside the caller's scope, or no such board).</summary>
internal sealed class LeaderboardRequestException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public static LeaderboardRequestException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);

    public static LeaderboardRequestException NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);
}
