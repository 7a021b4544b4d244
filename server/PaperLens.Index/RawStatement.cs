using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PaperLens.Index;

/// <summary>
/// A prepared statement stepped through SQLite's C API (no ADO.NET reader or command), on the connection's current
/// transaction: for reads and writes of every row, where ADO.NET's per-row cost shows. Errors throw a
/// <see cref="SqliteException"/> with the primary code as ADO.NET reports it (SQLITE_CONSTRAINT for a unique key,
/// SQLITE_INTERRUPT for an interrupt) and the extended one beside it.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
    }

    public int ParameterIndex(string name) => raw.sqlite3_bind_parameter_index(_stmt, name);

    public void Bind(int index, string? value) => Check(value is null ? raw.sqlite3_bind_null(_stmt, index) : raw.sqlite3_bind_text(_stmt, index, value));
    public void Bind(int index, int? value) => Check(value is int v ? raw.sqlite3_bind_int(_stmt, index, v) : raw.sqlite3_bind_null(_stmt, index));
    public void Bind(int index, byte[] value) => Check(raw.sqlite3_bind_blob(_stmt, index, value));

    /// <summary>The next row; false at the end. An error (a damaged page, an interrupt, a constraint) throws.</summary>
    public bool Step()
    {
        int rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        Check(rc);
        return false;
    }

    /// <summary>Ready to step again with new bindings.</summary>
    public void Reset() => raw.sqlite3_reset(_stmt);

    public long Int64(int column) => raw.sqlite3_column_int64(_stmt, column);
    public int Int32(int column) => raw.sqlite3_column_int(_stmt, column);
    public double Double(int column) => raw.sqlite3_column_double(_stmt, column);
    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(_stmt, column);

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc & 0xFF, rc);
    }

    public void Dispose() => _stmt.Dispose();
}
