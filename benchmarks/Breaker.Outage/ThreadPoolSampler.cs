using System;
using System.Threading;

namespace Breaker.Outage;

/// <summary>The process's thread-pool threads and queued work items, at their worst in each second, sampled every 50 ms.</summary>
public sealed class ThreadPoolSampler : IDisposable
{
    private readonly RunClock _clock;
    private readonly int[] _threads;
    private readonly long[] _pending;
    private readonly Thread _thread;
    private volatile bool _stop;

    public ThreadPoolSampler(RunClock clock, double seconds)
    {
        _clock = clock;
        _threads = new int[(int)seconds + 60];
        _pending = new long[_threads.Length];
        _thread = new Thread(Sample) { IsBackground = true, Name = "Thread-pool sampler" };
        _thread.Start();
    }

    public int ThreadsAt(int second) => _threads[second];

    public long PendingAt(int second) => _pending[second];

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private void Sample()
    {
        while (!_stop)
        {
            int second = (int)_clock.Seconds;
            if ((uint)second < (uint)_threads.Length)
            {
                _threads[second] = Math.Max(_threads[second], ThreadPool.ThreadCount);
                _pending[second] = Math.Max(_pending[second], ThreadPool.PendingWorkItemCount);
            }

            Thread.Sleep(50);
        }
    }
}
