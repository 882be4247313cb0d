using System;

namespace Breaker.Packaging.Tests.Infrastructure;

/// <summary>
/// One <c>--artifacts-path</c> for the NativeAOT publishes of a test run that build Breaker for net10.0 with the same
/// switches: the first publish compiles the generator and the libraries, the next ones find them up to date and compile
/// only their own app (each app's objects, native code included, stay in its own folder under it). Outside the
/// repository, like every folder these tests build in, and deleted after the last test of the collection.
/// </summary>
public sealed class SharedArtifacts : IDisposable
{
    private readonly TemporaryDirectory _directory = new("aot-artifacts");

    public string Path => _directory.Path;

    public void Dispose() => _directory.Dispose();
}
