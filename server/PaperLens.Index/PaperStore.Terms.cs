using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PaperLens.Index;

/// <summary>
/// FTS5's collection statistics for BM25, as its bm25() reads them: the row count and token total of the averages record,
/// and each row's length (all columns) from the docsize table, by row id.
/// </summary>
public sealed class LexicalStatistics(long rows, long tokens, int[] lengthById)
{
    public long Rows { get; } = rows;
    public long Tokens { get; } = tokens;
    /// <summary>Tokens per row over all columns; index = row id (0 for an id with no row).</summary>
    public int[] LengthById { get; } = lengthById;
}

/// <summary>Where one index token occurs: the rows (ascending) and, per row, its count in each column (title, authors, abstract).</summary>
public sealed record TermOccurrences(long[] Ids, int[] Counts)
{
    public const int Columns = 3;
}

public sealed partial class PaperStore
{
    /// <summary>The tokenizer of papers_fts (schema 2 on), which <see cref="IndexTokens"/> tokenizes query words with.</summary>
    internal const string FtsTokenizer = "porter unicode61 remove_diacritics 2";

    private bool _termTablesReady;

    /// <summary>
    /// The statistics FTS5's bm25() scores with, read in one read transaction: the averages record (row count, then
    /// each column's token total, as SQLite varints) and every docsize row (each column's length, varints).
    /// Seconds at 1M papers on a busy laptop: read off the query path. Cancelling interrupts the scan.
    /// </summary>
    public LexicalStatistics LoadLexicalStatistics(CancellationToken ct = default)
    {
        using var interrupt = InterruptWhen(ct);
        using var tx = _db.BeginTransaction(deferred: true);
        long rows = 0, tokens = 0;
        using (var averages = Command("SELECT block FROM papers_fts_data WHERE id = 1"))
        {
            averages.Transaction = tx;
            if (averages.ExecuteScalar() is byte[] block)
            {
                int at = 0;
                rows = Varint(block, ref at);
                while (at < block.Length) tokens += Varint(block, ref at);
            }
        }
        long maxId;
        using (var max = Command("SELECT coalesce(max(id), 0) FROM papers_fts_docsize"))
        {
            max.Transaction = tx;
            maxId = Convert.ToInt64(max.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var lengths = new int[maxId + 1];
        using (var sizes = new RawStatement(_db, "SELECT id, sz FROM papers_fts_docsize"))
            for (long row = 0; sizes.Step(); row++)
            {
                if ((row & 0xffff) == 0) ct.ThrowIfCancellationRequested();
                long id = sizes.Int64(0);
                var sz = sizes.Blob(1);
                long length = 0;
                for (int at = 0; at < sz.Length;) length += Varint(sz, ref at);
                if (id >= 0 && id < lengths.Length) lengths[id] = (int)Math.Min(length, int.MaxValue);
            }
        tx.Commit();
        return new LexicalStatistics(rows, tokens, lengths);
    }

    /// <summary>A SQLite varint (1-9 bytes, big-endian, 7 bits a byte with the high bit set on all but the last, the ninth byte whole).</summary>
    private static long Varint(ReadOnlySpan<byte> bytes, ref int at)
    {
        ulong value = 0;
        for (int i = 0; i < 8 && at < bytes.Length; i++)
        {
            byte b = bytes[at++];
            value = (value << 7) | (uint)(b & 0x7f);
            if ((b & 0x80) == 0) return (long)value;
        }
        if (at < bytes.Length) value = (value << 8) | bytes[at++];
        return (long)value;
    }

    /// <summary>
    /// The index token each word becomes under papers_fts's tokenizer (porter stemming, diacritics removed), worked out by
    /// SQLite itself through a temporary FTS5 table of this connection; null for a word that becomes no token or several
    /// (its matches are a phrase, not one token's postings).
    /// </summary>
    public Dictionary<string, string?> IndexTokens(IEnumerable<string> words)
    {
        EnsureTermTables();
        var list = words.Distinct(StringComparer.Ordinal).ToList();
        var result = list.ToDictionary(w => w, _ => (string?)null, StringComparer.Ordinal);
        if (list.Count == 0) return result;
        using var tx = _db.BeginTransaction();
        using (var insert = Command("INSERT INTO temp.query_words(rowid, word) VALUES ($i, $w)", ("$i", 0L), ("$w", "")))
        {
            insert.Transaction = tx;
            for (int i = 0; i < list.Count; i++)
            {
                insert.Parameters["$i"].Value = (long)i;
                insert.Parameters["$w"].Value = list[i];
                insert.ExecuteNonQuery();
            }
        }
        var tokens = new List<string>[list.Count];
        using (var read = Command("SELECT doc, term FROM temp.query_word_tokens"))
        {
            read.Transaction = tx;
            using var r = read.ExecuteReader();
            while (r.Read()) (tokens[r.GetInt32(0)] ??= []).Add(r.GetString(1));
        }
        using (var clear = Command("DELETE FROM temp.query_words"))
        {
            clear.Transaction = tx;
            clear.ExecuteNonQuery();
        }
        tx.Commit();
        for (int i = 0; i < list.Count; i++) if (tokens[i] is [var token]) result[list[i]] = token;
        return result;
    }

    /// <summary>
    /// Every row holding <paramref name="token"/> (an index token, <see cref="IndexTokens"/>) and its count per column, from
    /// FTS5's own postings (fts5vocab's instance table): what bm25() counts, without its per-row docsize lookups.
    /// </summary>
    public TermOccurrences Occurrences(string token)
    {
        EnsureTermTables();
        var ids = new List<long>();
        var counts = new List<int>();
        // Read through SQLite's own API: a common word has tens of thousands of instances, and ADO.NET's cost per row
        // would cost more than the docsize lookups saved.
        using var instances = new RawStatement(_db, "SELECT doc, CASE col WHEN 'title' THEN 0 WHEN 'authors_text' THEN 1 ELSE 2 END FROM temp.papers_fts_instances WHERE term = ?1");
        instances.Bind(1, token);
        long last = long.MinValue;
        while (instances.Step())
        {
            long id = instances.Int64(0);
            if (id != last)
            {
                ids.Add(id);
                for (int c = 0; c < TermOccurrences.Columns; c++) counts.Add(0);
                last = id;
            }
            counts[counts.Count - TermOccurrences.Columns + instances.Int32(1)]++;
        }
        return new TermOccurrences([.. ids], [.. counts]);
    }

    /// <summary>This connection's temporary tables for <see cref="IndexTokens"/> and <see cref="Occurrences"/> (made once).</summary>
    private void EnsureTermTables()
    {
        if (_termTablesReady) return;
        IndexSchema.Exec(_db, null, $"""
            CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_words USING fts5(word, tokenize='{FtsTokenizer}');
            CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_word_tokens USING fts5vocab(temp, query_words, 'instance');
            CREATE VIRTUAL TABLE IF NOT EXISTS temp.papers_fts_instances USING fts5vocab(main, papers_fts, 'instance');
            """);
        _termTablesReady = true;
    }
}
