using Microsoft.Data.Sqlite;

namespace Sinew.Journal.Sqlite;

/// <summary>The writer's connection inside an open transaction (begun with a plain BEGIN IMMEDIATE), with its prepared statements kept across batches.</summary>
internal sealed class WriteSession(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    /// <summary>A prepared command for this SQL text; parameters are cleared for reuse.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// A prepared command whose parameters (named and typed as given) are created once and kept: the caller sets each
    /// <see cref="SqliteParameter.Value"/> by position. For the statements run once per message.
    /// </summary>
    public SqliteCommand Prepared(string sql, (string Name, SqliteType Type)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }
            _commands.Add(sql, command);
        }
        return command;
    }

    public void Execute(string sql)
    {
        var command = Command(sql);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
