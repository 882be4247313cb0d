using System;
using System.IO;

namespace Breaker.Packaging.Tests.Infrastructure;

/// <summary>A fresh folder under the system's temporary folder, outside the repository, deleted on disposal.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"breaker-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a folder behind in the temporary directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
