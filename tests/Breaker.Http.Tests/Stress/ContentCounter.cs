using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Http.Tests.Stress;

/// <summary>Counts the response bodies created and disposed: a response whose body is never disposed has leaked.</summary>
internal sealed class ContentCounter
{
    private int _created;
    private int _disposed;

    public int Created => Volatile.Read(ref _created);

    public int Disposed => Volatile.Read(ref _disposed);

    public HttpContent Wrap(HttpContent inner)
    {
        Interlocked.Increment(ref _created);
        return new CountingContent(this, inner);
    }

    private sealed class CountingContent(ContentCounter counter, HttpContent inner) : HttpContent
    {
        private int _disposed;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Increment(ref counter._disposed);
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
