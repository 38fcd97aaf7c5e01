namespace Cairn.Access;

/// <summary>The roles a read token can have, widest first.</summary>
internal static class Roles
{
    public const string Admin = "admin";
    public const string OrgAdmin = "org-admin";
    public const string TeacherAdmin = "teacher-admin";
    public const string Teacher = "teacher";
    public const string Student = "student";

    /// <summary>An xAPI LRS credential (not a read token: it authenticates with HTTP Basic on /xapi/ only).</summary>
    public const string Lrs = "lrs";

    public static readonly IReadOnlyList<string> All = [Admin, OrgAdmin, TeacherAdmin, Teacher, Student];
}
