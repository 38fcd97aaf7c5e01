namespace Cairn.Xapi;

/// <summary>The xAPI versions this LRS speaks: 2.0.0 (IEEE 9274.1.1) and 1.0.x (answered as 1.0.3).</summary>
internal static class XapiVersion
{
    public const string Latest = "2.0.0";

    public static readonly IReadOnlyList<string> Supported = ["2.0.0", "1.0.3"];

    /// <summary>The version to answer with for a request's header, or null when it names none this LRS speaks.</summary>
    public static string? Negotiate(string header) => header.Trim() switch
    {
        "2.0.0" or "2.0" => "2.0.0",
        "1.0" or "1.0.0" or "1.0.1" or "1.0.2" or "1.0.3" => "1.0.3",
        _ => null,
    };
}
