namespace Cairn.Activity;

/// <summary>One value of a content field (a waypoint id, say): its events and distinct players in the window.</summary>
internal sealed record ContentVisits(string Content, long Events, long Players);
