namespace Cairn.Storage;

/// <summary>Groups (classes), their teachers and their rosters.</summary>
internal interface IGroupStore
{
    /// <summary>
    /// Creates the group or updates its name and teachers. A group is keyed by (org, id): ids are unique per org only.
    /// False when the org already has a group of this id for another game.
    /// </summary>
    Task<bool> UpsertGroupAsync(GroupRecord group, CancellationToken cancellationToken);

    Task<GroupRecord?> GetGroupAsync(string orgId, string groupId, CancellationToken cancellationToken);

    /// <summary>The groups of every org with this id (for the admin token, which spans orgs).</summary>
    Task<IReadOnlyList<GroupRecord>> FindGroupsAsync(string groupId, CancellationToken cancellationToken);

    Task<IReadOnlyList<GroupRecord>> ListGroupsAsync(string? orgId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a group's roster; members' raw ids and display names go to the player directory. A member who stays keeps
    /// their seat; one who joins gets the next. A name given with <paramref name="lockNames"/> (an org admin's roster) is
    /// kept from then on against rosters without it; a name given without it only replaces a name no org admin set.
    /// </summary>
    Task<RosterChange> ReplaceMembersAsync(
        string groupId, string orgId, IReadOnlyList<DirectoryEntry> members, IReadOnlyList<string?> displayNames, bool lockNames, CancellationToken cancellationToken);

    Task<IReadOnlyList<GroupMember>> GetMembersAsync(string orgId, string groupId, CancellationToken cancellationToken);

    /// <summary>The groups a player is a member of (to decide which teachers' scopes cover them).</summary>
    Task<IReadOnlyList<GroupRecord>> GetGroupsOfPlayerAsync(string playerKey, CancellationToken cancellationToken);

    /// <summary>
    /// Makes each player a member of the named class of the org (an LMS event's <c>class_id</c>): idempotent, a member
    /// keeps their seat, a newcomer takes the next. With <paramref name="createMissing"/> a class that does not exist is
    /// created for <paramref name="game"/> (named by its id, no teachers); without it, it is left out. Safe when two
    /// batches create the same class at once. Returns the classes that do not exist (and were not created).
    /// </summary>
    Task<IReadOnlyList<string>> JoinClassesAsync(
        string orgId, string game, IReadOnlyList<(string GroupId, string PlayerKey)> members, bool createMissing, CancellationToken cancellationToken);
}
