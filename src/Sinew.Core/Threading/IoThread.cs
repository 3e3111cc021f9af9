namespace Sinew.Core.Threading;

/// <summary>
/// Marks threads that serve many connections at once (an MLLP poller thread), which must not block in a wait that only one
/// connection needs, such as leading a journal flush; and, for a moment, lets one of them block when it has nothing else
/// in hand. Thread-pool threads and other threads are unaffected.
/// </summary>
public static class IoThread
{
    [ThreadStatic]
    private static bool t_serving;

    [ThreadStatic]
    private static bool t_idle;

    /// <summary>True on a thread that serves many connections and has other work in hand now: do not block here.</summary>
    public static bool MustNotBlock => t_serving && !t_idle;

    /// <summary>Marks the calling thread as one that serves many connections.</summary>
    public static void Enter() => t_serving = true;

    /// <summary>
    /// Says whether the calling I/O thread has nothing else in hand (its last ready connection): it may then lead a flush
    /// on its own thread, saving two hand-offs when messages come one at a time.
    /// </summary>
    public static void SetIdle(bool idle) => t_idle = idle;
}
