namespace Cairn.Groups;

/// <summary>One org's settings (configuration <c>Orgs:{orgId}:…</c>); an org without any has the defaults.</summary>
internal sealed class OrgSettings
{
    /// <summary>
    /// An LMS event's <c>class_id</c> that names no class of the org creates it (for the ingest key's game) and the
    /// student joins it. False: no class is created, and an event naming an unknown class says so in its result
    /// (the event is stored all the same). Students still join classes that exist. Default true.
    /// </summary>
    public bool AutoCreateClasses { get; set; } = true;
}
