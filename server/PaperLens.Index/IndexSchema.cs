using Microsoft.Data.Sqlite;

namespace PaperLens.Index;

/// <summary>The index's tables. <see cref="CurrentVersion"/> is stored in meta; older indexes are migrated, unknown ones rebuilt.</summary>
internal static class IndexSchema
{
    public const int CurrentVersion = 1;

    private const string CreateV1 = """
        CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS papers(
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            has_source_key INTEGER NOT NULL,
            title TEXT NOT NULL,
            authors_json TEXT NOT NULL,
            authors_text TEXT NOT NULL,
            year INTEGER,
            venue TEXT,
            abstract TEXT,
            doi TEXT,
            arxiv_id TEXT,
            url TEXT,
            entry_type TEXT NOT NULL,
            source_file TEXT NOT NULL,
            source_line INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            text_hash TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS papers_text_hash ON papers(text_hash);
        CREATE VIRTUAL TABLE IF NOT EXISTS papers_fts USING fts5(
            title, authors, abstract,
            content='papers', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2');
        CREATE TRIGGER IF NOT EXISTS papers_ai AFTER INSERT ON papers BEGIN
            INSERT INTO papers_fts(rowid, title, authors, abstract)
            VALUES (new.id, new.title, new.authors_text, coalesce(new.abstract, ''));
        END;
        CREATE TRIGGER IF NOT EXISTS papers_ad AFTER DELETE ON papers BEGIN
            INSERT INTO papers_fts(papers_fts, rowid, title, authors, abstract)
            VALUES ('delete', old.id, old.title, old.authors_text, coalesce(old.abstract, ''));
        END;
        CREATE TRIGGER IF NOT EXISTS papers_au AFTER UPDATE ON papers BEGIN
            INSERT INTO papers_fts(papers_fts, rowid, title, authors, abstract)
            VALUES ('delete', old.id, old.title, old.authors_text, coalesce(old.abstract, ''));
            INSERT INTO papers_fts(rowid, title, authors, abstract)
            VALUES (new.id, new.title, new.authors_text, coalesce(new.abstract, ''));
        END;
        CREATE TABLE IF NOT EXISTS embeddings(
            model TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY(model, text_hash)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS sources(
            path TEXT PRIMARY KEY,
            length INTEGER NOT NULL,
            mtime_ticks INTEGER NOT NULL);
        """;

    /// <summary>Brings the schema to the current version; throws <see cref="IndexFormatException"/> for a newer one.</summary>
    public static void Ensure(SqliteConnection db)
    {
        int version = ReadVersion(db);
        if (version == CurrentVersion) return;
        if (version > CurrentVersion)
            throw new IndexFormatException($"the index was written by a newer PaperLens (schema {version}, this one reads {CurrentVersion})");
        using var tx = db.BeginTransaction();
        if (version != 0 && version < CurrentVersion)
            DropAll(db, tx); // no older released schema exists: rebuild instead of half-reading it
        Exec(db, tx, CreateV1);
        Exec(db, tx, $"INSERT OR REPLACE INTO meta(name, value) VALUES ('schema_version', '{CurrentVersion}')");
        tx.Commit();
    }

    private static int ReadVersion(SqliteConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'";
        if (Convert.ToInt64(cmd.ExecuteScalar()) == 0)
        {
            cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='table'";
            return Convert.ToInt64(cmd.ExecuteScalar()) == 0 ? 0 : -1;
        }
        cmd.CommandText = "SELECT value FROM meta WHERE name='schema_version'";
        return cmd.ExecuteScalar() is string s && int.TryParse(s, out int v) ? v : -1;
    }

    private static void DropAll(SqliteConnection db, SqliteTransaction tx)
    {
        var names = new List<(string Type, string Name)>();
        using (var cmd = db.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT type, name FROM sqlite_master WHERE type IN ('table','trigger','view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'papers_fts_%'";
            using var r = cmd.ExecuteReader();
            while (r.Read()) names.Add((r.GetString(0), r.GetString(1)));
        }
        foreach (var (type, name) in names.OrderBy(n => n.Type == "table" ? 1 : 0))
            Exec(db, tx, $"DROP {type.ToUpperInvariant()} IF EXISTS \"{name}\"");
    }

    internal static void Exec(SqliteConnection db, SqliteTransaction? tx, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}

/// <summary>The index file cannot be used as it is: damaged, or from another version. Rebuilding it is the way out.</summary>
public sealed class IndexFormatException(string message, Exception? inner = null) : Exception(message, inner);
