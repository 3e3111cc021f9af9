using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Sinew.Core.Threading;

namespace Sinew.Mllp;

/// <summary>
/// Waits for plain-TCP MLLP connections to become readable with <c>epoll</c>, on a few threads of Sinew's own, and
/// continues each waiting read right there: a frame is received, parsed and handed to the journal on the thread that saw
/// it arrive, with no hand-off from .NET's socket engine to the thread pool (one wake-up and one queue less per frame).
/// </summary>
/// <remarks>
/// <para>
/// This is what <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> does for every socket of a process (measured: +15%
/// durable ingest at 16 connections), kept to the MLLP listeners whose handlers are known not to block. Each wait is
/// one-shot (<c>EPOLLONESHOT</c>): a connection is armed only while a read waits on it, so at most one thread ever
/// serves it.
/// </para>
/// <para>Linux on x64 only (where <c>struct epoll_event</c> is packed); elsewhere <see cref="Shared"/> is null and connections use .NET's sockets as they are.</para>
/// </remarks>
internal sealed class MllpPoller
{
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const int EpollCtlMod = 3;
    private const uint EpollIn = 0x001;
    private const uint EpollRdHup = 0x2000;
    private const uint EpollOneShot = 1u << 30;
    private const int EIntr = 4;

    private static readonly Lazy<MllpPoller?> s_shared = new(Create);
    private readonly int[] _epolls;
    private readonly ConcurrentDictionary<long, PolledSocketStream> _connections = new();
    private long _lastId;

    private MllpPoller(int[] epolls)
    {
        _epolls = epolls;
        for (var i = 0; i < epolls.Length; i++)
        {
            var epoll = epolls[i];
            new Thread(() => Loop(epoll)) { IsBackground = true, Name = "sinew-mllp-poll" + i }.Start();
        }
    }

    /// <summary>The process's poller; null where epoll is not available.</summary>
    public static MllpPoller? Shared => s_shared.Value;

    private static MllpPoller? Create()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return null;
        }

        var epolls = new int[Math.Clamp(Environment.ProcessorCount, 1, 4)];
        for (var i = 0; i < epolls.Length; i++)
        {
            epolls[i] = epoll_create1(0x80000 /* EPOLL_CLOEXEC */);
            if (epolls[i] < 0)
            {
                return null;
            }
        }

        return new MllpPoller(epolls);
    }

    /// <summary>Adds a connection; returns its key, and the epoll set that will serve it.</summary>
    public (long Key, int Epoll) Add(PolledSocketStream stream)
    {
        var key = Interlocked.Increment(ref _lastId);
        _connections[key] = stream;
        return (key, _epolls[key % _epolls.Length]);
    }

    /// <summary>Arms one wait for the connection to become readable (or to be closed by its peer).</summary>
    public static bool Arm(int epoll, long key, nint fd, bool added)
    {
        var request = new EpollEvent { Events = EpollIn | EpollRdHup | EpollOneShot, Data = (ulong)key };
        return epoll_ctl(epoll, added ? EpollCtlMod : EpollCtlAdd, (int)fd, ref request) == 0;
    }

    /// <summary>Stops serving a connection; <paramref name="registeredFd"/> is its socket while still open and in the set, else null.</summary>
    public void Remove(int epoll, long key, nint? registeredFd)
    {
        if (registeredFd is { } fd)
        {
            var unused = default(EpollEvent);
            _ = epoll_ctl(epoll, EpollCtlDel, (int)fd, ref unused); // fails only if the socket is already closed, which removed it
        }

        _connections.TryRemove(key, out _);
    }

    private void Loop(int epoll)
    {
        IoThread.Enter();
        var events = new EpollEvent[64];
        while (true)
        {
            var count = epoll_wait(epoll, events, events.Length, -1);
            if (count < 0)
            {
                if (Marshal.GetLastPInvokeError() == EIntr)
                {
                    continue;
                }

                // Cannot happen with a valid set and buffer; waiting readers would hang, so fail loudly.
                throw new InvalidOperationException("epoll_wait failed: " + Marshal.GetLastPInvokeErrorMessage());
            }

            for (var i = 0; i < count; i++)
            {
                if (_connections.TryGetValue((long)events[i].Data, out var stream))
                {
                    // The last ready connection may make this thread wait for its flush: nothing else waits on it.
                    IoThread.SetIdle(i == count - 1);
                    stream.OnReadable();
                }
            }

            IoThread.SetIdle(false);
        }
    }

    /// <summary><c>struct epoll_event</c> as x64 lays it out: packed, 12 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int epfd, int op, int fd, ref EpollEvent ev);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(int epfd, [Out] EpollEvent[] events, int maxEvents, int timeout);
}
