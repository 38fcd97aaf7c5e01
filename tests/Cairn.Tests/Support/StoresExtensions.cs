using Cairn.Progress;
using Cairn.Progress.Storage;
using Cairn.Storage;

namespace Cairn.Tests.Support;

/// <summary>Shorthands for tests that read a projection's store off the opened stores.</summary>
internal static class StoresExtensions
{
    public static IProgressStore Progress(this Stores stores) => stores.Projection<IProgressStore>(ProgressProjection.Name);
}
