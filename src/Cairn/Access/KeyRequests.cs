namespace Cairn.Access;

/// <summary>What a read token must name for its role: teachers their teacher ids, a student their player id.</summary>
internal static class KeyRequests
{
    /// <returns>A sentence saying what is wrong, or null when the request is complete.</returns>
    public static string? Check(string role, IReadOnlyList<string>? teachers, string? playerId) => role switch
    {
        _ when !Roles.All.Contains(role) => $"'role' must be one of: {string.Join(", ", Roles.All)}.",
        Roles.Teacher or Roles.TeacherAdmin when teachers is not { Count: > 0 } || teachers.Any(t => t is null || !AdminApi.Identifier().IsMatch(t)) =>
            $"A {role} token needs the teacher ids it covers ('teachers', or --teacher): the teacher's own id, and for a teacher-admin those they manage.",
        Roles.Student when string.IsNullOrWhiteSpace(playerId) || playerId.Length > 256 => "A student token needs the student's raw player id ('playerId', or --player).",
        Roles.Admin or Roles.OrgAdmin when teachers is { Count: > 0 } || playerId is not null => $"A {role} token takes no teachers or player.",
        _ => null,
    };
}
