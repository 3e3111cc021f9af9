namespace Sinew.X12;

/// <summary>Remembers the last N control numbers seen, so duplicates are found in bounded memory.</summary>
internal sealed class X12ControlNumberWindow(int capacity)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Adds a control number; false when it is already in the window.</summary>
    public bool Add(string controlNumber)
    {
        if (capacity <= 0)
        {
            return true;
        }
        if (!_seen.Add(controlNumber))
        {
            return false;
        }
        _order.Enqueue(controlNumber);
        if (_order.Count > capacity)
        {
            _seen.Remove(_order.Dequeue());
        }
        return true;
    }

    public void Clear()
    {
        _seen.Clear();
        _order.Clear();
    }
}
