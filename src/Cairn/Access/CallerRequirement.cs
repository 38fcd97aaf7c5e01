namespace Cairn.Access;

/// <summary>Endpoint metadata: who may call it. <see cref="Authentication.AuthenticateFirstAsync"/> checks it before any body is read.</summary>
internal sealed class CallerRequirement
{
    public static readonly CallerRequirement Admin = new();

    /// <summary>Admins and read tokens; each handler then checks the scope of what it returns.</summary>
    public static readonly CallerRequirement Reader = new();

    /// <summary>The admin token, or the dedicated metrics token (<see cref="AccessOptions.MetricsToken"/>) where one is set.</summary>
    public static readonly CallerRequirement Metrics = new();

    private CallerRequirement()
    {
    }
}
