using Microsoft.Data.Sqlite;
using PaperLens.Core;
using PaperLens.Index;

namespace PaperLens.Tests.Index;

/// <summary>
/// A writer runs SQLite's quick_check (seconds at 1M papers) only when the last writer did not close the index, so a
/// server starts without reading the whole file, and a file left by a crash is still checked before it is used.
/// </summary>
public class StartupCheckTests
{
    private static string IndexWithPapers(TempDirectory dir, int count)
    {
        var path = dir.Combine("i.db");
        using var store = PaperStore.Open(path);
        store.ApplyChanges([], Enumerable.Range(0, count).Select(i => new Paper { Key = $"k{i}", Title = $"Paper {i} on retrieval", Source = new("x.bib", i) }).ToList());
        return path;
    }

    /// <summary>The files a process killed with the index open leaves behind: the database and its WAL, copied while it is open.</summary>
    private static string CrashImage(TempDirectory dir, string path)
    {
        var copy = dir.Combine("crashed.db");
        using (var writer = PaperStore.Open(path)) // never closed: the copy is taken while it holds the index
        {
            writer.SetMeta("last_run", "interrupted");
            File.Copy(path, copy);
            if (File.Exists(path + "-wal")) File.Copy(path + "-wal", copy + "-wal");
        }
        return copy;
    }

    [Fact]
    public void After_a_clean_close_a_writer_opens_without_the_whole_file_check()
    {
        using var dir = new TempDirectory();
        var path = IndexWithPapers(dir, 10);
        using var again = PaperStore.Open(path);
        Assert.False(again.Checked);
        Assert.Equal(10, again.Stats(null).Papers);
    }

    [Fact]
    public void A_writer_that_finds_the_index_left_open_by_a_crash_checks_it_first_and_then_resumes()
    {
        using var dir = new TempDirectory();
        var crashed = CrashImage(dir, IndexWithPapers(dir, 10));
        using (var first = PaperStore.Open(crashed))
        {
            Assert.True(first.Checked);
            Assert.Equal("interrupted", first.GetMeta("last_run"));
            Assert.Equal(10, first.Stats(null).Papers);
        }
        using var second = PaperStore.Open(crashed); // the check counted the crashed writer out
        Assert.False(second.Checked);
    }

    [Fact]
    public void Readers_neither_check_nor_count_as_writers()
    {
        using var dir = new TempDirectory();
        var path = IndexWithPapers(dir, 3);
        using (var reader = PaperStore.Open(path, verify: false)) Assert.False(reader.Checked);
        using var writer = PaperStore.Open(path);
        Assert.False(writer.Checked);
    }

    [Fact]
    public void A_damaged_page_in_an_index_left_open_by_a_crash_is_reported_not_read()
    {
        using var dir = new TempDirectory();
        var path = IndexWithPapers(dir, 3000);
        var crashed = CrashImage(dir, path);
        int page, pageSize;
        using (var db = new SqliteConnection($"Data Source={crashed};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)"; // the pages into the file, the crash marker with them
            cmd.ExecuteNonQuery();
            cmd.CommandText = "SELECT rootpage FROM sqlite_master WHERE name='papers_text_hash'";
            page = Convert.ToInt32(cmd.ExecuteScalar());
            cmd.CommandText = "PRAGMA page_size";
            pageSize = Convert.ToInt32(cmd.ExecuteScalar());
        }
        SqliteConnection.ClearAllPools();
        using (var file = new FileStream(crashed, FileMode.Open, FileAccess.Write))
        {
            file.Position = (long)(page - 1) * pageSize;
            file.Write(Enumerable.Repeat((byte)0x55, pageSize).ToArray());
        }
        var e = Assert.Throws<IndexFormatException>(() => PaperStore.Open(crashed));
        Assert.Contains("damaged", e.Message);
    }
}
