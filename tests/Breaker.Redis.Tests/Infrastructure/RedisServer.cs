using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>
/// A real redis-server (Debian's package) started as a child process on 127.0.0.1 and a free port, with persistence off.
/// Tests stop it (by its process id) and start it again on the same port. Missing redis-server fails every test, loudly.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private Process? _process;

    public RedisServer()
    {
        Executable = Find() ?? throw new InvalidOperationException(
            "redis-server was not found on PATH. The fleet coordination tests need a real Redis: install Debian's package with " +
            "`apt-get install -y redis-server` (./test.sh does it when it is missing).");
        Port = FreePort();
        Start();
    }

    public string Executable { get; }

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Whether the server is frozen by <see cref="Pause"/>.</summary>
    public bool IsPaused { get; private set; }

    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        DateTime deadline = DateTime.UtcNow + Poll.Deadline;
        while (!Answers())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING (exited: {_process.HasExited}).");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Kills the server by its process id, as a crash or a cut would.</summary>
    public void Stop()
    {
        if (_process is null)
        {
            return;
        }

        using (var byId = Process.GetProcessById(_process.Id))
        {
            byId.Kill();
            byId.WaitForExit(10_000);
        }

        _process.Dispose();
        _process = null;
        IsPaused = false;
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open, nothing answers, as a hung or overloaded Redis.</summary>
    public void Pause()
    {
        Signal(Sigstop);
        IsPaused = true;
    }

    /// <summary>Lets a paused server go on (SIGCONT).</summary>
    public void Resume()
    {
        Signal(Sigcont);
        IsPaused = false;
    }

    public void Dispose()
    {
        if (IsRunning)
        {
            Signal(Sigcont);
        }

        Stop();
    }

    private const int Sigcont = 18;
    private const int Sigstop = 19;

    private void Signal(int signal)
    {
        if (_process is null || kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Could not send signal {signal} to redis-server (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Append("/usr/sbin")
            .Select(static dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            NetworkStream stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            byte[] buffer = new byte[16];
            int read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
