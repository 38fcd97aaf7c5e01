namespace Cairn.Identity;

/// <summary>How raw player ids become playerKeys.</summary>
internal sealed class IdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>The pepper itself (prefer <see cref="PepperFile"/> or the CAIRN_PEPPER variable). Never logged.</summary>
    public string? Pepper { get; set; }

    /// <summary>A file holding the pepper (e.g. a mounted secret); surrounding whitespace is ignored.</summary>
    public string? PepperFile { get; set; }

    /// <summary>Version written as the playerKey prefix (<c>p1_…</c>); bump it when the pepper is rotated.</summary>
    public int PepperVersion { get; set; } = 1;

    /// <summary>
    /// Peppers of earlier versions, still resolved during a rotation (lookups, erasure, opt-outs) until
    /// <c>cairn rekey</c> has moved every player to the current version.
    /// </summary>
    public List<PreviousPepper> PreviousPeppers { get; set; } = [];

    internal sealed class PreviousPepper
    {
        public int Version { get; set; }

        public string? Pepper { get; set; }

        public string? PepperFile { get; set; }
    }
}
