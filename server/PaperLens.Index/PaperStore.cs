using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaperLens.Core;
using SQLitePCL;

namespace PaperLens.Index;

/// <summary>A paper row: its id in the index and the hash of its embedding text.</summary>
public sealed record StoredPaper(long Id, Paper Paper, string TextHash);

/// <summary>A paper as its row stores it, with what is derived from it worked out before the write (off the writer's thread).</summary>
public sealed record PaperRow(Paper Paper, string ContentHash, string TextHash, string AuthorsJson, string AuthorsText)
{
    public static PaperRow Of(Paper p) => Of(p, PaperHashes.Content(p));

    /// <summary>The row of <paramref name="p"/>, whose content hash is known already.</summary>
    public static PaperRow Of(Paper p, string contentHash) =>
        new(p, contentHash, PaperHashes.Text(p), JsonSerializer.Serialize(p.Authors.Select(a => new[] { a.Family, a.Given })), string.Join(", ", p.Authors));
}

/// <summary>Counts that describe an index.</summary>
public sealed record IndexStats(long Papers, long Embedded, long Pending, long CachedVectors, long Sources, string? Model, string Path, long FileBytes);

/// <summary>The SQLite index: papers, their FTS5 table, the embedding cache and the source files seen. One connection; not thread-safe.</summary>
public sealed partial class PaperStore : IDisposable
{
    private readonly SqliteConnection _db;
    /// <summary>Opened to write: counted in <see cref="OpenWritersMeta"/> until disposed.</summary>
    private readonly bool _writer;
    public string Path { get; }
    /// <summary>Whether opening ran SQLite's quick_check (the last writer did not close the index).</summary>
    public bool Checked { get; }

    /// <summary>Writers that have the index open; one left behind means a writer died with it open (crash, kill, power loss).</summary>
    internal const string OpenWritersMeta = "open_writers";

    static PaperStore() => SQLitePCL.Batteries_V2.Init();

    /// <summary>The page size of a new index file.</summary>
    internal const int PageSize = 16384;

    private PaperStore(string path, SqliteConnection db, bool writer, bool @checked) { Path = path; _db = db; _writer = writer; Checked = @checked; }

    /// <summary>Opens or creates the index. Throws <see cref="IndexFormatException"/> when the file is not a usable index.</summary>
    /// <param name="verify">
    /// Open as a writer: when the last writer did not close the index, SQLite's quick_check runs first (seconds on a large
    /// index), so a file damaged by a crash is reported instead of half-read. Readers pass false.
    /// </param>
    public static PaperStore Open(string path, bool verify = true)
    {
        if (path != ":memory:") Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            db.Open();
            // A new file gets 16 KiB pages (an existing one keeps its own): paper rows of 1-2 KB left a fifth of every 4 KiB page empty.
            IndexSchema.Exec(db, null, $"PRAGMA page_size={PageSize}; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
            bool check = verify && OpenWriters(db) != 0;
            if (check)
            {
                using var quick = db.CreateCommand();
                quick.CommandText = "PRAGMA quick_check";
                if (quick.ExecuteScalar() is string s && s != "ok") throw new IndexFormatException($"the index at {path} is damaged ({s})");
            }
            IndexSchema.Ensure(db);
            // After a check the count starts again from this writer: a crashed one is not waited for.
            if (verify) IndexSchema.Exec(db, null, $"INSERT OR REPLACE INTO meta(name, value) VALUES ('{OpenWritersMeta}', {(check ? "'1'" : $"coalesce((SELECT value FROM meta WHERE name='{OpenWritersMeta}'), 0) + 1")})");
            return new PaperStore(path, db, verify, check);
        }
        catch (SqliteException e)
        {
            db.Dispose();
            throw new IndexFormatException($"the index at {path} cannot be read ({e.Message.TrimEnd('.')})", e);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>The writers count in meta; -1 when unknown (no count, or tables but no meta: checked), 0 for an empty file.</summary>
    private static long OpenWriters(SqliteConnection db)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'";
        if (Convert.ToInt64(cmd.ExecuteScalar()) == 0)
        {
            cmd.CommandText = "SELECT count(*) FROM sqlite_master";
            return Convert.ToInt64(cmd.ExecuteScalar()) == 0 ? 0 : -1; // an empty file: nothing to check
        }
        cmd.CommandText = $"SELECT value FROM meta WHERE name='{OpenWritersMeta}'";
        // No count: written before writers were counted, checked once.
        return cmd.ExecuteScalar() is { } value && long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out long n) ? n : -1;
    }

    /// <summary>Deletes an index file, its WAL side files and its vector graphs.</summary>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var p in new[] { path, path + "-wal", path + "-shm" })
            if (File.Exists(p)) File.Delete(p);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (Directory.Exists(folder))
            foreach (var graph in Directory.GetFiles(folder, System.IO.Path.GetFileName(path) + ".*.hnsw*")) File.Delete(graph);
    }

    public string? GetMeta(string name)
    {
        using var cmd = Command("SELECT value FROM meta WHERE name=$n", ("$n", name));
        return cmd.ExecuteScalar() as string;
    }

    public void SetMeta(string name, string value)
    {
        using var cmd = Command("INSERT OR REPLACE INTO meta(name, value) VALUES ($n, $v)", ("$n", name), ("$v", value));
        cmd.ExecuteNonQuery();
    }

    /// <summary>Key → (id, content hash) of every paper in the index.</summary>
    public Dictionary<string, (long Id, string ContentHash)> LoadContentHashes()
    {
        var result = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        using var cmd = Command("SELECT key, id, content_hash FROM papers");
        using var r = cmd.ExecuteReader();
        while (r.Read()) result[r.GetString(0)] = (r.GetInt64(1), PaperHashes.FromBytes((byte[])r.GetValue(2)));
        return result;
    }

    /// <summary>Deletes, then inserts or replaces, in one transaction: a crash leaves the index as before the call.</summary>
    public void ApplyChanges(IReadOnlyCollection<string> deleteKeys, IReadOnlyCollection<Paper> upserts) =>
        ApplyRows(deleteKeys, upserts.Select(PaperRow.Of).ToList());

    /// <summary>
    /// Deletes, then inserts or replaces, in one transaction with their FTS5 rows: a crash leaves the index as before the
    /// call. The FTS5 table is written with one statement per call (rows leaving it first, then the rows written), never
    /// one per paper: FTS5 flushes its pending terms at every statement that writes it from a trigger or a savepoint.
    /// <paramref name="inserts"/> are rows the caller found no key of (a new paper): written by a plain INSERT, with no
    /// lookup of an old row to take out of the FTS5 table. Should one be there after all (another writer added it), the
    /// call is undone and done again with them as upserts.
    /// </summary>
    public void ApplyRows(IReadOnlyCollection<string> deleteKeys, IReadOnlyList<PaperRow> upserts, IReadOnlyList<PaperRow>? inserts = null)
    {
        inserts ??= [];
        if (deleteKeys.Count == 0 && upserts.Count == 0 && inserts.Count == 0) return;
        try
        {
            WriteRows(deleteKeys, upserts, inserts);
        }
        catch (SqliteException e) when (inserts.Count > 0 && e.SqliteErrorCode == raw.SQLITE_CONSTRAINT)
        {
            WriteRows(deleteKeys, [.. upserts, .. inserts], []);
        }
    }

    private void WriteRows(IReadOnlyCollection<string> deleteKeys, IReadOnlyList<PaperRow> upserts, IReadOnlyList<PaperRow> inserts)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan fts = TimeSpan.Zero;
        using var tx = _db.BeginTransaction();
        long lastId = Scalar(tx, "SELECT coalesce(max(id), 0) FROM papers");
        // Rows that may change or go: their keys, so that their FTS5 entries leave with the values they were indexed with.
        // In an empty table no key exists yet, and a full build needs no such list.
        IndexSchema.Exec(_db, tx, "CREATE TEMP TABLE IF NOT EXISTS touched(key TEXT PRIMARY KEY); DELETE FROM temp.touched;");
        using (var touch = Command("INSERT OR IGNORE INTO temp.touched(key) VALUES ($k)", ("$k", "")))
        {
            touch.Transaction = tx;
            foreach (var key in deleteKeys.Concat(lastId > 0 ? upserts.Select(u => u.Paper.Key) : []))
            {
                touch.Parameters[0].Value = key;
                touch.ExecuteNonQuery();
            }
        }
        var ftsClock = System.Diagnostics.Stopwatch.StartNew();
        IndexSchema.Exec(_db, tx, """
            INSERT INTO papers_fts(papers_fts, rowid, title, authors_text, abstract)
            SELECT 'delete', p.id, p.title, p.authors_text, p.abstract FROM temp.touched t JOIN papers p ON p.key = t.key;
            """);
        fts += ftsClock.Elapsed;
        using (var del = Command("DELETE FROM papers WHERE key=$k", ("$k", "")))
        {
            del.Transaction = tx;
            foreach (var key in deleteKeys) { del.Parameters[0].Value = key; del.ExecuteNonQuery(); }
        }
        const string Insert = """
            INSERT INTO papers(key, has_source_key, title, authors_json, authors_text, year, venue, abstract, doi, arxiv_id, url, entry_type, source_file, source_line, content_hash, text_hash)
            VALUES ($key, $hsk, $title, $aj, $at, $year, $venue, $abs, $doi, $arxiv, $url, $type, $file, $line, $ch, $th)
            """;
        WritePapers(Insert + """
            ON CONFLICT(key) DO UPDATE SET has_source_key=excluded.has_source_key, title=excluded.title, authors_json=excluded.authors_json,
              authors_text=excluded.authors_text, year=excluded.year, venue=excluded.venue, abstract=excluded.abstract, doi=excluded.doi,
              arxiv_id=excluded.arxiv_id, url=excluded.url, entry_type=excluded.entry_type, source_file=excluded.source_file,
              source_line=excluded.source_line, content_hash=excluded.content_hash, text_hash=excluded.text_hash
            """, upserts);
        WritePapers(Insert, inserts);
        // New rows got ids above the old largest (or reused a deleted one: those keys are in touched, as every key is
        // when the table was not empty); replaced rows kept theirs.
        using (var index = Command("""
            INSERT INTO papers_fts(rowid, title, authors_text, abstract)
            SELECT id, title, authors_text, abstract FROM papers WHERE id > $last
            UNION ALL
            SELECT p.id, p.title, p.authors_text, p.abstract FROM temp.touched t JOIN papers p ON p.key = t.key WHERE p.id <= $last
            """, ("$last", lastId)))
        {
            index.Transaction = tx;
            ftsClock.Restart();
            index.ExecuteNonQuery();
            fts += ftsClock.Elapsed;
        }
        WriteTime = (WriteTime.Rows + clock.Elapsed - fts, WriteTime.Fts + fts);
        tx.Commit();
    }

    /// <summary>
    /// Writes paper rows with <paramref name="sql"/>, an INSERT of every column, one prepared statement for all, bound through
    /// SQLite's C API (in the connection's open transaction): ADO.NET's per-execution work cost more than the row's insert.
    /// </summary>
    private void WritePapers(string sql, IReadOnlyList<PaperRow> rows)
    {
        if (rows.Count == 0) return;
        using var write = new RawStatement(_db, sql);
        var at = new[] { "$key", "$hsk", "$title", "$aj", "$at", "$year", "$venue", "$abs", "$doi", "$arxiv", "$url", "$type", "$file", "$line", "$ch", "$th" }
            .Select(write.ParameterIndex).ToArray();
        foreach (var row in rows)
        {
            var p = row.Paper;
            write.Bind(at[0], p.Key);
            write.Bind(at[1], p.HasSourceKey ? 1 : 0);
            write.Bind(at[2], p.Title);
            write.Bind(at[3], row.AuthorsJson);
            write.Bind(at[4], row.AuthorsText);
            write.Bind(at[5], p.Year);
            write.Bind(at[6], p.Venue);
            write.Bind(at[7], p.Abstract);
            write.Bind(at[8], p.Doi);
            write.Bind(at[9], p.ArxivId);
            write.Bind(at[10], p.Url);
            write.Bind(at[11], p.EntryType);
            write.Bind(at[12], p.Source.File);
            write.Bind(at[13], p.Source.Line);
            write.Bind(at[14], PaperHashes.ToBytes(row.ContentHash));
            write.Bind(at[15], PaperHashes.ToBytes(row.TextHash));
            write.Step();
            write.Reset();
        }
    }

    /// <summary>
    /// Settings for writing many papers (a full build) until disposed: a 256 MiB page cache (the key index takes random
    /// inserts), the text-hash index dropped and made again at the end (one sort instead of random inserts), FTS5 keeping
    /// 64 MiB of terms before it writes a segment and merging 8 segments at a time instead of 4. Every batch still
    /// commits on its own, so a killed run resumes as any other; the index is made again when the next run starts.
    /// </summary>
    public IDisposable BulkWrite()
    {
        IndexSchema.Exec(_db, null, $"""
            PRAGMA cache_size=-262144;
            DROP INDEX IF EXISTS papers_text_hash;
            {FtsConfig(hashSize: 64 << 20, autoMerge: 8, crisisMerge: 64)}
            """);
        return new BulkWriteEnd(this);
    }

    private sealed class BulkWriteEnd(PaperStore store) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            IndexSchema.Exec(store._db, null, "PRAGMA cache_size=-2000");
            store.EndBulkWrite();
        }
    }

    /// <summary>FTS5's write settings (stored in the index; 1 MiB, 4 and 16 are its defaults).</summary>
    private static string FtsConfig(int hashSize, int autoMerge, int crisisMerge) => $"""
        INSERT INTO papers_fts(papers_fts, rank) VALUES ('hashsize', {hashSize});
        INSERT INTO papers_fts(papers_fts, rank) VALUES ('automerge', {autoMerge});
        INSERT INTO papers_fts(papers_fts, rank) VALUES ('crisismerge', {crisisMerge});
        """;

    /// <summary>Undoes what a <see cref="BulkWrite"/> changed in the file, where a killed run left it so: the text-hash index, FTS5's default settings.</summary>
    public void EndBulkWrite()
    {
        IndexSchema.Exec(_db, null, "CREATE INDEX IF NOT EXISTS papers_text_hash ON papers(text_hash)");
        using var bulk = Command("SELECT count(*) FROM papers_fts_config WHERE k='hashsize' AND v<>$d", ("$d", DefaultHashSize));
        if (Convert.ToInt64(bulk.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
            IndexSchema.Exec(_db, null, FtsConfig(hashSize: DefaultHashSize, autoMerge: 4, crisisMerge: 16));
    }

    private const int DefaultHashSize = 1 << 20;

    /// <summary>Time spent by <see cref="ApplyRows"/> so far, commits aside: on paper rows, and on FTS5 rows.</summary>
    public (TimeSpan Rows, TimeSpan Fts) WriteTime { get; private set; }

    /// <summary>Meta values whose names start with <paramref name="prefix"/>, by the rest of the name.</summary>
    public Dictionary<string, string> GetMetaWithPrefix(string prefix)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = Command("SELECT name, value FROM meta WHERE substr(name, 1, length($p)) = $p", ("$p", prefix));
        using var r = cmd.ExecuteReader();
        while (r.Read()) result[r.GetString(0)[prefix.Length..]] = r.GetString(1);
        return result;
    }

    public void DeleteMeta(string name)
    {
        using var cmd = Command("DELETE FROM meta WHERE name=$n", ("$n", name));
        cmd.ExecuteNonQuery();
    }

    /// <summary>Replaces the merges of records from different files made by the last indexing run.</summary>
    public void SaveMerges(IEnumerable<PaperMerge> merges)
    {
        using var tx = _db.BeginTransaction();
        IndexSchema.Exec(_db, tx, "DELETE FROM merges");
        using var ins = Command("INSERT INTO merges(key, kept_file, kept_line, merged_file, merged_line, reason) VALUES ($k, $kf, $kl, $mf, $ml, $r)",
            ("$k", ""), ("$kf", ""), ("$kl", 0), ("$mf", ""), ("$ml", 0), ("$r", ""));
        ins.Transaction = tx;
        foreach (var m in merges)
        {
            object[] values = [m.Key, m.Kept.File, m.Kept.Line, m.Merged.File, m.Merged.Line, m.Reason.ToString()];
            for (int i = 0; i < values.Length; i++) ins.Parameters[i].Value = values[i];
            ins.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>The merges saved by the last indexing run, in the order they were made.</summary>
    public List<PaperMerge> LoadMerges()
    {
        var result = new List<PaperMerge>();
        using var cmd = Command("SELECT key, kept_file, kept_line, merged_file, merged_line, reason FROM merges ORDER BY rowid");
        using var r = cmd.ExecuteReader();
        while (r.Read())
            result.Add(new PaperMerge(r.GetString(0), new SourceLocation(r.GetString(1), r.GetInt32(2)),
                new SourceLocation(r.GetString(3), r.GetInt32(4)), Enum.Parse<MergeReason>(r.GetString(5))));
        return result;
    }

    /// <summary>Replaces the list of source files seen by the last indexing run.</summary>
    public void SaveSources(IEnumerable<(string Path, long Length, long MtimeTicks)> sources)
    {
        using var tx = _db.BeginTransaction();
        IndexSchema.Exec(_db, tx, "DELETE FROM sources");
        using var ins = Command("INSERT OR REPLACE INTO sources(path, length, mtime_ticks) VALUES ($p, $l, $m)", ("$p", ""), ("$l", 0L), ("$m", 0L));
        ins.Transaction = tx;
        foreach (var s in sources)
        {
            ins.Parameters["$p"].Value = s.Path; ins.Parameters["$l"].Value = s.Length; ins.Parameters["$m"].Value = s.MtimeTicks;
            ins.ExecuteNonQuery();
        }
        tx.Commit();
    }

    public Dictionary<string, (long Length, long MtimeTicks)> LoadSources()
    {
        var result = new Dictionary<string, (long, long)>();
        using var cmd = Command("SELECT path, length, mtime_ticks FROM sources");
        using var r = cmd.ExecuteReader();
        while (r.Read()) result[r.GetString(0)] = (r.GetInt64(1), r.GetInt64(2));
        return result;
    }

    /// <summary>Distinct texts that have no vector for <paramref name="model"/> yet: (text hash, text).</summary>
    public List<(string TextHash, string Text)> PendingEmbeddings(string model)
    {
        var result = new List<(string, string)>();
        using var cmd = Command($"""
            SELECT p.text_hash, min(p.title), min(coalesce(p.abstract, '')) FROM papers p
            WHERE NOT EXISTS (SELECT 1 FROM vectors e WHERE e.model_id={ModelId} AND e.text_hash=p.text_hash)
            GROUP BY p.text_hash
            """, ("$m", model));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var paper = new Paper { Title = r.GetString(1), Abstract = r.GetString(2) };
            result.Add((PaperHashes.FromBytes((byte[])r.GetValue(0)), PaperHashes.EmbeddingText(paper)));
        }
        return result;
    }

    /// <summary>The calibration <paramref name="model"/>'s codes are taken relative to, or null before its first vectors.</summary>
    public VectorCalibration? LoadCalibration(string model)
    {
        using var cmd = Command("SELECT calibration FROM vector_calibration WHERE model=$m", ("$m", model));
        return cmd.ExecuteScalar() is byte[] bytes ? VectorCalibration.FromBytes(bytes) : null;
    }

    /// <summary>
    /// Stores each vector as int8 codes with one scale (<see cref="VectorCodec"/>): about 410 bytes a row at 384 dimensions, no overflow page.
    /// The first vectors stored for a model fix its calibration (<see cref="VectorCalibration"/>).
    /// </summary>
    public void SaveEmbeddings(string model, IEnumerable<(string TextHash, float[] Vector)> vectors)
    {
        var rows = vectors.ToList();
        if (rows.Count == 0) return;
        using var tx = _db.BeginTransaction();
        var calibration = LoadCalibration(model);
        if (calibration is null || calibration.Dimensions != rows[0].Vector.Length)
        {
            var sample = rows.Take(IndexSchema.CalibrationSample).Where(r => r.Vector.Length == rows[0].Vector.Length).SelectMany(r => r.Vector).ToArray();
            calibration = VectorCalibration.Fit(sample, rows[0].Vector.Length);
            using var save = Command("INSERT OR REPLACE INTO vector_calibration(model, calibration) VALUES ($m, $c)", ("$m", model), ("$c", calibration.ToBytes()));
            save.Transaction = tx;
            save.ExecuteNonQuery();
            // Codes made with another calibration (another dimension count) would no longer decode.
            using var stale = Command($"DELETE FROM vectors WHERE model_id={ModelId}", ("$m", model));
            stale.Transaction = tx;
            stale.ExecuteNonQuery();
        }
        using (var name = Command("INSERT OR IGNORE INTO models(name) VALUES ($m)", ("$m", model)))
        {
            name.Transaction = tx;
            name.ExecuteNonQuery();
        }
        long modelId = Scalar(tx, "SELECT id FROM models WHERE name=$m", ("$m", model));
        using var ins = Command("INSERT OR REPLACE INTO vectors(model_id, text_hash, scale, codes) VALUES ($m, $h, $s, $c)",
            ("$m", modelId), ("$h", Array.Empty<byte>()), ("$s", 0.0), ("$c", Array.Empty<byte>()));
        ins.Transaction = tx;
        var codes = new sbyte[calibration.Dimensions];
        foreach (var (hash, vector) in rows)
        {
            if (vector.Length != calibration.Dimensions) continue;
            ins.Parameters["$h"].Value = PaperHashes.ToBytes(hash);
            ins.Parameters["$s"].Value = VectorCodec.Quantize(vector, calibration, codes);
            ins.Parameters["$c"].Value = MemoryMarshal.AsBytes(codes.AsSpan()).ToArray();
            ins.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>
    /// All paper vectors for <paramref name="model"/>, read in one snapshot straight into arrays sized up front (for every
    /// paper), in text-hash order: the vectors table is read in its own order and each text's papers found through the
    /// covering text-hash index, so both are read front to back (id order cost a random lookup per paper).
    /// </summary>
    public VectorIndex LoadVectors(string model, int dimensions)
    {
        using var tx = _db.BeginTransaction(deferred: true);
        var calibration = LoadCalibration(model);
        if (calibration is null || calibration.Dimensions != dimensions) return VectorIndex.Empty;
        using var count = Command("SELECT count(*) FROM papers");
        count.Transaction = tx;
        int papers = Convert.ToInt32(count.ExecuteScalar());
        var ids = new long[papers];
        var scales = new float[papers];
        // Every row read is written over; the tail of unembedded papers is never read (no need to zero 400 MB at 1M).
        var codes = GC.AllocateUninitializedArray<sbyte>(checked(papers * dimensions));
        var bytes = MemoryMarshal.AsBytes(codes.AsSpan());
        // A bulk write drops the text-hash index until it ends (or, after a killed one, until the next sync): then the
        // join goes by key lookups, slower but the same rows.
        bool hashIndex = Scalar(tx, "SELECT count(*) FROM sqlite_master WHERE type='index' AND name='papers_text_hash'") > 0;
        // Straight through SQLite's C API: a million rows through the ADO.NET reader cost four times the query itself.
        int row = 0;
        using (var statement = new RawStatement(_db, $"""
            SELECT p.id, v.scale, v.codes FROM vectors v {(hashIndex ? "CROSS JOIN papers p INDEXED BY papers_text_hash" : "JOIN papers p")} ON p.text_hash = v.text_hash
            WHERE v.model_id = (SELECT id FROM models WHERE name = ?1) AND length(v.codes) = ?2
            """))
        {
            statement.Bind(1, model);
            statement.Bind(2, dimensions);
            while (row < papers && statement.Step())
            {
                ids[row] = statement.Int64(0);
                scales[row] = (float)statement.Double(1);
                statement.Blob(2).CopyTo(bytes.Slice(row * dimensions, dimensions));
                row++;
            }
        }
        if (row < papers)
        {
            Array.Resize(ref ids, row);
            Array.Resize(ref scales, row);
            if (row < papers / 4 * 3) Array.Resize(ref codes, row * dimensions); // mostly not embedded yet; else the tail stays unused
        }
        return new VectorIndex(ids, codes, scales, dimensions, calibration);
    }

    /// <summary>
    /// Key → id of every paper, read from the key index (not the rows) through SQLite's C API: at 1M papers the ADO.NET
    /// reader cost more than the read itself.
    /// </summary>
    /// <summary>Every key and its paper id; cancelling <paramref name="ct"/> interrupts the read (<see cref="OperationCanceledException"/>).</summary>
    public Dictionary<string, long> LoadKeys(CancellationToken ct = default) => Interruptible(ct, () =>
    {
        using var count = Command("SELECT count(*) FROM papers");
        var result = new Dictionary<string, long>(Convert.ToInt32(count.ExecuteScalar()), StringComparer.Ordinal);
        using var statement = new RawStatement(_db, "SELECT key, id FROM papers ORDER BY key");
        while (statement.Step())
            result[System.Text.Encoding.UTF8.GetString(statement.Blob(0))] = statement.Int64(1);
        ct.ThrowIfCancellationRequested(); // an interrupt that came after the last row
        return result;
    });

    /// <summary>How many papers the index holds (a count over its smallest index).</summary>
    public long PaperCount()
    {
        using var cmd = Command("SELECT count(*) FROM papers");
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Key → id of those of <paramref name="keys"/> the index holds, looked up in its key index.</summary>
    public Dictionary<string, long> IdsOfKeys(IEnumerable<string> keys)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        using var cmd = Command("SELECT id FROM papers WHERE key=$k", ("$k", ""));
        foreach (var key in keys.Distinct())
        {
            cmd.Parameters[0].Value = key;
            if (cmd.ExecuteScalar() is long id) result[key] = id;
        }
        return result;
    }

    /// <summary>FTS5 BM25 top hits for a sanitised MATCH expression: (id, score), higher is better.</summary>
    public List<(long Id, double Score)> LexicalSearch(string matchExpression, int limit)
    {
        var result = new List<(long, double)>();
        if (matchExpression.Length == 0) return result;
        using var cmd = Command("SELECT rowid, -bm25(papers_fts, 2.0, 1.0, 1.0) FROM papers_fts WHERE papers_fts MATCH $q ORDER BY bm25(papers_fts, 2.0, 1.0, 1.0) LIMIT $n",
            ("$q", matchExpression), ("$n", limit));
        using var r = cmd.ExecuteReader();
        while (r.Read()) result.Add((r.GetInt64(0), r.GetDouble(1)));
        return result;
    }

    /// <summary>
    /// Every FTS5 match of a sanitised MATCH expression, unordered, with one BM25 score (higher is better) per weighting of the
    /// columns (title, authors, abstract): one pass over the postings for several rankings of the same terms.
    /// </summary>
    public List<(long Id, double[] Scores)> LexicalScores(string matchExpression, params double[][] columnWeights)
    {
        var result = new List<(long, double[])>();
        if (matchExpression.Length == 0) return result;
        var scores = columnWeights.Select(w => "-bm25(papers_fts, " + string.Join(", ", w.Select(x => x.ToString("0.0###", CultureInfo.InvariantCulture))) + ")");
        using var cmd = Command($"SELECT rowid, {string.Join(", ", scores)} FROM papers_fts WHERE papers_fts MATCH $q", ("$q", matchExpression));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = new double[columnWeights.Length];
            for (int i = 0; i < row.Length; i++) row[i] = r.GetDouble(i + 1);
            result.Add((r.GetInt64(0), row));
        }
        return result;
    }

    /// <summary>
    /// How many papers each term (a plain word, stemmed as the index stems it) occurs in; with <paramref name="atMost"/>, counted
    /// no further than that (a common word's count stops early: at 1M papers counting all its rows takes tens of ms).
    /// <paramref name="ct"/> is checked before each term: an interrupt that lands between two counts would be lost.
    /// </summary>
    public Dictionary<string, long> DocumentFrequencies(IEnumerable<string> terms, long atMost = long.MaxValue, CancellationToken ct = default)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        using var cmd = atMost == long.MaxValue
            ? Command("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH $q", ("$q", ""))
            : Command("SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH $q LIMIT $n)", ("$q", ""), ("$n", atMost));
        foreach (var term in terms.Distinct())
        {
            if (term.Length == 0 || !term.All(char.IsLetterOrDigit)) continue;
            ct.ThrowIfCancellationRequested();
            cmd.Parameters["$q"].Value = "\"" + term + "\"";
            result[term] = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        return result;
    }

    /// <summary>
    /// Papers whose title or author words start with <paramref name="prefix"/> (letters and digits, at least 3), in index order.
    /// Unranked on purpose: ranking every match of a short prefix over a large index would cost a full scan.
    /// </summary>
    public List<long> PrefixSearch(string prefix, int limit)
    {
        var word = new string(prefix.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        if (word.Length < 3) return [];
        using var cmd = Command("SELECT rowid FROM papers_fts WHERE papers_fts MATCH $q LIMIT $n",
            ("$q", "{title authors_text} : \"" + word + "\"*"), ("$n", limit));
        var ids = new List<long>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) ids.Add(r.GetInt64(0));
        return ids;
    }

    /// <summary>Every citation key in the index.</summary>
    public List<string> AllKeys()
    {
        using var cmd = Command("SELECT key FROM papers");
        var keys = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) keys.Add(r.GetString(0));
        return keys;
    }

    public Dictionary<long, StoredPaper> GetPapers(IEnumerable<long> ids)
    {
        var result = new Dictionary<long, StoredPaper>();
        foreach (var chunk in ids.Distinct().Chunk(500)) // one statement per chunk, not one per row
        {
            using var cmd = Command($"SELECT {PaperColumns} FROM papers WHERE id IN ({string.Join(',', chunk.Select(id => id.ToString(CultureInfo.InvariantCulture)))})");
            using var r = cmd.ExecuteReader();
            while (r.Read()) { var paper = ReadPaper(r); result[paper.Id] = paper; }
        }
        return result;
    }

    public StoredPaper? GetByKey(string key)
    {
        using var cmd = Command($"SELECT {PaperColumns} FROM papers WHERE key=$k", ("$k", key));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadPaper(r) : null;
    }

    /// <summary>Streams every paper in id order.</summary>
    public IEnumerable<StoredPaper> AllPapers()
    {
        using var cmd = Command($"SELECT {PaperColumns} FROM papers ORDER BY id");
        using var r = cmd.ExecuteReader();
        while (r.Read()) yield return ReadPaper(r);
    }

    public IndexStats Stats(string? model)
    {
        long Scalar(string sql)
        {
            using var cmd = Command(sql, ("$m", model ?? ""));
            return Convert.ToInt64(cmd.ExecuteScalar());
        }
        long papers = Scalar("SELECT count(*) FROM papers");
        // Without a model nothing is embedded: no need to probe the vectors for every paper.
        long embedded = model is null ? 0 : Scalar($"SELECT count(*) FROM papers p WHERE EXISTS (SELECT 1 FROM vectors e WHERE e.model_id={ModelId} AND e.text_hash=p.text_hash)");
        long bytes = Path == ":memory:" || !File.Exists(Path) ? 0 : new FileInfo(Path).Length + (File.Exists(Path + "-wal") ? new FileInfo(Path + "-wal").Length : 0);
        return new IndexStats(papers, embedded, papers - embedded, Scalar($"SELECT count(*) FROM vectors WHERE model_id={ModelId}"),
            Scalar("SELECT count(*) FROM sources"), model, Path, bytes);
    }

    private const string PaperColumns = "id, key, has_source_key, title, authors_json, year, venue, abstract, doi, arxiv_id, url, entry_type, source_file, source_line, text_hash";

    private static StoredPaper ReadPaper(SqliteDataReader r)
    {
        string? Str(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var paper = new Paper
        {
            Key = r.GetString(1), HasSourceKey = r.GetInt64(2) != 0, Title = r.GetString(3), Authors = ParseAuthors(r.GetFieldValue<byte[]>(4)),
            Year = r.IsDBNull(5) ? null : (int)r.GetInt64(5), Venue = Str(6), Abstract = Str(7), Doi = Str(8), ArxivId = Str(9), Url = Str(10),
            EntryType = r.GetString(11), Source = new SourceLocation(r.GetString(12), (int)r.GetInt64(13)),
        };
        return new StoredPaper(r.GetInt64(0), paper, PaperHashes.FromBytes((byte[])r.GetValue(14)));
    }

    /// <summary>
    /// The authors column as written (<c>[["Family","Given"], …]</c>, UTF-8), read token by token: a ranking reads hundreds
    /// of rows, and the serializer's generic path cost a third of that. Malformed JSON throws <see cref="JsonException"/>.
    /// </summary>
    internal static IReadOnlyList<PersonName> ParseAuthors(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) throw new JsonException("authors: not an array");
        var names = new List<PersonName>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            string? family = null, given = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null)) throw new JsonException("authors: a name part is not a string");
                if (family is null) family = reader.GetString() ?? "";
                else given ??= reader.GetString() ?? "";
            }
            if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("authors: a name is not closed");
            names.Add(new PersonName(family ?? "", given ?? ""));
        }
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("authors: not an array of names");
        return names.ToArray();
    }

    /// <summary>The id vectors rows give the model named by the parameter $m (no row, so no vector, for a model never stored).</summary>
    private const string ModelId = "(SELECT id FROM models WHERE name=$m)";

    private long Scalar(SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        cmd.Transaction = tx;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Until disposed, cancelling <paramref name="ct"/> interrupts the statement running on this connection (sqlite3_interrupt):
    /// it stops at its next row with SQLITE_INTERRUPT (<see cref="WasInterrupted"/>), and the connection stays usable. With no
    /// statement running an interrupt does nothing (SQLite clears it when the next one starts). For the one thread using this
    /// connection, around its reads; disposing waits for a callback that is running, so none outlives the scope.
    /// </summary>
    public IDisposable InterruptWhen(CancellationToken ct) =>
        ct.CanBeCanceled && _db.Handle is { } handle ? ct.Register(static h => raw.sqlite3_interrupt((sqlite3)h!), handle) : NoInterrupt.Instance;

    /// <summary>
    /// Runs <paramref name="read"/> on this connection with <see cref="InterruptWhen"/> on: a statement it interrupts
    /// surfaces as the <see cref="OperationCanceledException"/> of <paramref name="ct"/>, not as a SQLite error.
    /// </summary>
    public T Interruptible<T>(CancellationToken ct, Func<T> read)
    {
        using var interrupt = InterruptWhen(ct);
        try { return read(); }
        catch (Exception e) when (ct.IsCancellationRequested && WasInterrupted(e)) { throw new OperationCanceledException(ct); }
    }

    /// <summary>Whether a read failed because <see cref="InterruptWhen"/> interrupted it.</summary>
    public static bool WasInterrupted(Exception e) => e is SqliteException { SqliteErrorCode: raw.SQLITE_INTERRUPT };

    private sealed class NoInterrupt : IDisposable
    {
        public static readonly NoInterrupt Instance = new();
        public void Dispose() { }
    }

    /// <summary>One value of a statement (for tests: a statement that runs as long as wanted).</summary>
    internal object? Scalar(string sql)
    {
        using var cmd = Command(sql);
        return cmd.ExecuteScalar();
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return cmd;
    }

    public void Dispose()
    {
        if (_writer)
        {
            try { IndexSchema.Exec(_db, null, $"UPDATE meta SET value = max(0, value - 1) WHERE name='{OpenWritersMeta}'"); }
            catch (SqliteException) { } // read-only or gone: the next writer checks the file
        }
        _db.Dispose();
    }
}
