using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace PaperLens.Index;

/// <summary>
/// The index's tables. <see cref="CurrentVersion"/> is stored in meta. A new file gets schema 1 and then every
/// migration in order, exactly as an old file does; unknown versions are rebuilt, newer ones refused.
/// </summary>
internal static class IndexSchema
{
    public const int CurrentVersion = 6;

    /// <summary>Schema 1 as released; kept verbatim, since every file starts from it.</summary>
    internal const string CreateV1 = """
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

    /// <summary>
    /// Schema 2: the FTS5 table names its columns as the content table does (title, authors_text, abstract), so that
    /// 'rebuild', snippet() and SELECT * can read them back (schema 1 said "authors": no such column T.authors);
    /// the cross-file merges of the last run are kept for `stats --merges`; each corpus owner's paths are kept apart.
    /// </summary>
    private const string MigrateTo2 = """
        DROP TRIGGER IF EXISTS papers_ai;
        DROP TRIGGER IF EXISTS papers_ad;
        DROP TRIGGER IF EXISTS papers_au;
        DROP TABLE IF EXISTS papers_fts;
        CREATE VIRTUAL TABLE papers_fts USING fts5(
            title, authors_text, abstract,
            content='papers', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2');
        CREATE TRIGGER papers_ai AFTER INSERT ON papers BEGIN
            INSERT INTO papers_fts(rowid, title, authors_text, abstract)
            VALUES (new.id, new.title, new.authors_text, new.abstract);
        END;
        CREATE TRIGGER papers_ad AFTER DELETE ON papers BEGIN
            INSERT INTO papers_fts(papers_fts, rowid, title, authors_text, abstract)
            VALUES ('delete', old.id, old.title, old.authors_text, old.abstract);
        END;
        CREATE TRIGGER papers_au AFTER UPDATE ON papers BEGIN
            INSERT INTO papers_fts(papers_fts, rowid, title, authors_text, abstract)
            VALUES ('delete', old.id, old.title, old.authors_text, old.abstract);
            INSERT INTO papers_fts(rowid, title, authors_text, abstract)
            VALUES (new.id, new.title, new.authors_text, new.abstract);
        END;
        INSERT INTO papers_fts(papers_fts) VALUES ('rebuild');
        CREATE TABLE merges(
            key TEXT NOT NULL,
            kept_file TEXT NOT NULL,
            kept_line INTEGER NOT NULL,
            merged_file TEXT NOT NULL,
            merged_line INTEGER NOT NULL,
            reason TEXT NOT NULL);
        """;

    /// <summary>
    /// Schema 3: vectors as int8 codes with one scale each (388 bytes at 384 dimensions) in rows that fit their page,
    /// instead of fp32 blobs that each took an overflow page (about 4.6 KB a vector on disk).
    /// </summary>
    private static void MigrateTo3(SqliteConnection db, SqliteTransaction tx)
    {
        Exec(db, tx, """
            CREATE TABLE vectors(
                model TEXT NOT NULL,
                text_hash TEXT NOT NULL,
                scale REAL NOT NULL,
                codes BLOB NOT NULL,
                PRIMARY KEY(model, text_hash)) WITHOUT ROWID;
            """);
        using var read = db.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "SELECT model, text_hash, vector FROM embeddings";
        using var insert = db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO vectors(model, text_hash, scale, codes) VALUES ($m, $h, $s, $c)";
        foreach (var name in new[] { "$m", "$h", "$s", "$c" }) insert.Parameters.Add(new SqliteParameter(name, null));
        using (var r = read.ExecuteReader())
            while (r.Read())
            {
                var vector = MemoryMarshal.Cast<byte, float>((byte[])r.GetValue(2)).ToArray();
                var codes = new sbyte[vector.Length];
                insert.Parameters[0].Value = r.GetString(0);
                insert.Parameters[1].Value = r.GetString(1);
                insert.Parameters[2].Value = VectorCodec.Quantize(vector, codes);
                insert.Parameters[3].Value = MemoryMarshal.AsBytes(codes.AsSpan()).ToArray();
                insert.ExecuteNonQuery();
            }
        Exec(db, tx, "DROP TABLE embeddings");
    }

    /// <summary>
    /// Schema 4: codes are taken relative to a per-model calibration (mean vector and per-dimension spread, in
    /// vector_calibration). Schema 3's rows are decoded and coded again (they keep schema 3's rounding on top of the
    /// new one), except the zero rows its quantiser wrote for vectors whose largest component was negative: those are
    /// dropped, so the next run embeds them again.
    /// </summary>
    private static void MigrateTo4(SqliteConnection db, SqliteTransaction tx)
    {
        Exec(db, tx, $"""
            CREATE TABLE vector_calibration(model TEXT PRIMARY KEY, calibration BLOB NOT NULL);
            CREATE TABLE vectors_4{VectorsTable};
            """);
        using var models = db.CreateCommand();
        models.Transaction = tx;
        models.CommandText = "SELECT DISTINCT model, length(codes) FROM vectors";
        var groups = new List<(string Model, int Dimensions)>();
        using (var r = models.ExecuteReader()) while (r.Read()) groups.Add((r.GetString(0), r.GetInt32(1)));
        using var insert = db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT OR REPLACE INTO vectors_4(model, text_hash, scale, codes) VALUES ($m, $h, $s, $c)";
        foreach (var name in new[] { "$m", "$h", "$s", "$c" }) insert.Parameters.Add(new SqliteParameter(name, null));
        using var saveCalibration = db.CreateCommand();
        saveCalibration.Transaction = tx;
        saveCalibration.CommandText = "INSERT OR REPLACE INTO vector_calibration(model, calibration) VALUES ($m, $c)";
        foreach (var (model, dims) in groups.GroupBy(g => g.Model).Select(g => g.MaxBy(x => x.Dimensions)))
        {
            IEnumerable<(string Hash, float[] Vector)> Decoded(int limit)
            {
                using var read = db.CreateCommand();
                read.Transaction = tx;
                // Schema 3 stored zero codes for a vector whose largest component was negative: those are embedded again.
                read.CommandText = "SELECT text_hash, scale, codes FROM vectors WHERE model=$m AND length(codes)=$d AND scale > 0 LIMIT $n";
                read.Parameters.AddWithValue("$m", model);
                read.Parameters.AddWithValue("$d", dims);
                read.Parameters.AddWithValue("$n", limit);
                using var r = read.ExecuteReader();
                while (r.Read())
                    yield return (r.GetString(0), MemoryMarshal.Cast<byte, sbyte>((byte[])r.GetValue(2)).ToArray().Select(c => c * (float)r.GetDouble(1)).ToArray());
            }
            var calibration = VectorCalibration.Fit(Decoded(CalibrationSample).SelectMany(x => x.Vector).ToArray(), dims);
            saveCalibration.Parameters.Clear();
            saveCalibration.Parameters.AddWithValue("$m", model);
            saveCalibration.Parameters.AddWithValue("$c", calibration.ToBytes());
            saveCalibration.ExecuteNonQuery();
            var codes = new sbyte[dims];
            foreach (var (hash, vector) in Decoded(int.MaxValue))
            {
                insert.Parameters[0].Value = model;
                insert.Parameters[1].Value = hash;
                insert.Parameters[2].Value = VectorCodec.Quantize(vector, calibration, codes);
                insert.Parameters[3].Value = MemoryMarshal.AsBytes(codes.AsSpan()).ToArray();
                insert.ExecuteNonQuery();
            }
        }
        Exec(db, tx, "DROP TABLE vectors; ALTER TABLE vectors_4 RENAME TO vectors;");
    }

    /// <summary>
    /// Schema 5: no triggers keep the FTS5 table; <see cref="PaperStore.ApplyRows"/>
    /// writes it in the same transaction as the paper rows, one statement a batch. A trigger made every paper row a
    /// statement with a savepoint, at which FTS5 flushes its pending terms: one tiny segment per paper, merged over and over.
    /// </summary>
    private const string MigrateTo5 = """
        DROP TRIGGER IF EXISTS papers_ai;
        DROP TRIGGER IF EXISTS papers_ad;
        DROP TRIGGER IF EXISTS papers_au;
        """;

    /// <summary>
    /// Schema 6: hashes as 16-byte BLOBs instead of 32 hex characters (in papers, its text-hash index and every vector row),
    /// and each vector row names its model by a small id (models) instead of the model's name: about 100 bytes less a paper.
    /// Schema 5's hashes are hex; any other text (hand-made files) keeps its bytes, the same in papers and vectors, so a
    /// paper still finds its vector. Row ids are kept, so the FTS5 table stays as it is.
    /// </summary>
    private static readonly string MigrateTo6 = $"""
        CREATE TABLE papers_6{PapersColumns};
        INSERT INTO papers_6(id, key, has_source_key, title, authors_json, authors_text, year, venue, abstract, doi, arxiv_id, url, entry_type, source_file, source_line, content_hash, text_hash)
        SELECT id, key, has_source_key, title, authors_json, authors_text, year, venue, abstract, doi, arxiv_id, url, entry_type, source_file, source_line,
               {HashBlob("content_hash")}, {HashBlob("text_hash")} FROM papers ORDER BY id;
        DROP INDEX IF EXISTS papers_text_hash;
        DROP TABLE papers;
        ALTER TABLE papers_6 RENAME TO papers;
        CREATE INDEX papers_text_hash ON papers(text_hash);
        CREATE TABLE models(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        INSERT OR IGNORE INTO models(name) SELECT model FROM vector_calibration UNION SELECT DISTINCT model FROM vectors;
        CREATE TABLE vectors_6(model_id INTEGER NOT NULL, text_hash BLOB NOT NULL, scale REAL NOT NULL, codes BLOB NOT NULL, PRIMARY KEY(model_id, text_hash)) WITHOUT ROWID;
        INSERT OR REPLACE INTO vectors_6(model_id, text_hash, scale, codes)
        SELECT m.id, {HashBlob("v.text_hash")}, v.scale, v.codes FROM vectors v JOIN models m ON m.name = v.model ORDER BY m.id, 2;
        DROP TABLE vectors;
        ALTER TABLE vectors_6 RENAME TO vectors;
        """;

    /// <summary>A schema-5 hash (hex text) as its bytes; text that is not hex keeps its own bytes (<see cref="PaperHashes.ToBytes"/> does the same).</summary>
    private static string HashBlob(string column) => $"coalesce(unhex({column}), CAST({column} AS BLOB))";

    /// <summary>The papers table from schema 6 on (schema 1's columns; the two hashes are BLOBs).</summary>
    private const string PapersColumns = """
        (
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
            content_hash BLOB NOT NULL,
            text_hash BLOB NOT NULL)
        """;

    /// <summary>Vectors a model's calibration is fitted on: its first ones stored (the indexer makes those a spread sample).</summary>
    internal const int CalibrationSample = 4096;

    private const string VectorsTable = "(model TEXT NOT NULL, text_hash TEXT NOT NULL, scale REAL NOT NULL, codes BLOB NOT NULL, PRIMARY KEY(model, text_hash)) WITHOUT ROWID";

    /// <summary>Migration <c>i</c> brings schema <c>i + 1</c> to <c>i + 2</c>.</summary>
    private static readonly Action<SqliteConnection, SqliteTransaction>[] Migrations =
        [(db, tx) => Exec(db, tx, MigrateTo2), MigrateTo3, MigrateTo4, (db, tx) => Exec(db, tx, MigrateTo5), (db, tx) => Exec(db, tx, MigrateTo6)];

    /// <summary>
    /// Brings the schema to the current version; throws <see cref="IndexFormatException"/> for a newer one. A file that had
    /// rows before schema 6 is then compacted once (<see cref="Compact"/>): the migration copied its papers and vectors.
    /// </summary>
    public static void Ensure(SqliteConnection db)
    {
        int before = ReadVersion(db);
        Ensure(db, CurrentVersion);
        if (before is > 0 and < 6) Compact(db);
    }

    /// <summary>
    /// VACUUM, with 16 KiB pages where no other connection holds the file in WAL mode: what schema 6's copies of the tables
    /// left free goes back to the file system (a migrated file would otherwise grow by the size of its old tables).
    /// A file another process has open stays as it is, larger until a rebuild: it reads the same.
    /// </summary>
    private static void Compact(SqliteConnection db)
    {
        try
        {
            Exec(db, null, $"PRAGMA journal_mode=DELETE; PRAGMA page_size={PaperStore.PageSize}; VACUUM;");
        }
        catch (SqliteException) { } // busy: another connection
        finally
        {
            Exec(db, null, "PRAGMA journal_mode=WAL");
        }
    }

    /// <summary>Brings the schema to <paramref name="target"/> (tests make files of older versions this way).</summary>
    internal static void Ensure(SqliteConnection db, int target)
    {
        int version = ReadVersion(db);
        if (version >= target && version <= CurrentVersion) return;
        if (version > CurrentVersion)
            throw new IndexFormatException($"the index was written by a newer PaperLens (schema {version}, this one reads {CurrentVersion})");
        using var tx = db.BeginTransaction();
        if (version < 0)
            DropAll(db, tx); // not a schema we know: rebuild instead of half-reading it
        if (version <= 0)
        {
            Exec(db, tx, CreateV1);
            version = 1;
        }
        for (; version < target; version++)
            Migrations[version - 1](db, tx);
        Exec(db, tx, $"INSERT OR REPLACE INTO meta(name, value) VALUES ('schema_version', '{target}')");
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
