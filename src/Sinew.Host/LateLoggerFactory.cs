using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sinew.Host;

/// <summary>
/// A logger factory for connectors built while the configuration is loaded, before the host's logging exists.
/// Loggers it hands out write to the host's factory once <see cref="Attach"/> is called (and nowhere before).
/// </summary>
internal sealed class LateLoggerFactory : ILoggerFactory
{
    private ILoggerFactory _target = NullLoggerFactory.Instance;

    public void Attach(ILoggerFactory target) => Volatile.Write(ref _target, target);

    public ILogger CreateLogger(string categoryName) => new LateLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Add providers to the host's logging instead.");

    public void Dispose()
    {
    }

    private sealed class LateLogger(LateLoggerFactory factory, string category) : ILogger
    {
        private ILoggerFactory? _from;
        private ILogger _inner = NullLogger.Instance;

        private ILogger Inner
        {
            get
            {
                var target = Volatile.Read(ref factory._target);
                if (!ReferenceEquals(target, _from))
                {
                    _inner = target.CreateLogger(category);
                    _from = target;
                }
                return _inner;
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => Inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
