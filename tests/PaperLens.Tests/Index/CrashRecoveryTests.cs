using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace PaperLens.Tests.Index;

public class CrashRecoveryTests
{
    private static long Scalar(string dbPath, string sql)
    {
        using var db = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    [Fact]
    public void Indexing_killed_with_sigkill_resumes_without_losing_or_duplicating_papers()
    {
        using var dir = new TempDirectory();
        const int papers = 60_000;
        var bib = new StringBuilder();
        for (int i = 0; i < papers; i++)
            bib.Append($"@article{{p{i},\n  title = {{Paper number {i} on retrieval topic {i % 97}}},\n  author = {{Author{i % 500}, A.}},\n  year = {{{2000 + i % 25}}},\n  abstract = {{An abstract about subject {i % 131} and method {i % 37}.}}\n}}\n");
        var bibPath = dir.File("big.bib", bib.ToString());
        var index = dir.Combine("index.db");

        using (var process = Process.Start(ServerProcess.StartInfo("--index", index, "index", bibPath, "--no-embed"))!)
        {
            process.StandardInput.Close();
            _ = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            long seen = 0;
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                try { seen = File.Exists(index) ? Scalar(index, "SELECT count(*) FROM papers") : 0; } catch (SqliteException) { }
                if (seen > 0) break;
                Thread.Sleep(20);
            }
            Assert.False(process.HasExited, "indexing finished before it could be killed; make the corpus larger");
            process.Kill(entireProcessTree: true); // SIGKILL
            process.WaitForExit();
            Assert.InRange(seen, 1, papers - 1);
        }

        Assert.Equal(0, Scalar(index, "SELECT count(*) FROM meta WHERE name='sync_state' AND value='complete'"));
        var (code, _, err) = ServerProcess.Run("--index", index, "index", bibPath, "--no-embed");
        Assert.True(code == 0, err);
        Assert.Equal(papers, Scalar(index, "SELECT count(*) FROM papers"));
        Assert.Equal(papers, Scalar(index, "SELECT count(DISTINCT key) FROM papers"));
        Assert.Equal(papers, Scalar(index, "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH '\"retrieval\"'"));
        Assert.Equal(1, Scalar(index, "SELECT count(*) FROM meta WHERE name='sync_state' AND value='complete'"));
        // What the killed run's bulk write left changed is back: the text-hash index, FTS5's default write settings.
        Assert.Equal(1, Scalar(index, "SELECT count(*) FROM sqlite_master WHERE type='index' AND name='papers_text_hash'"));
        Assert.Equal(1 << 20, Scalar(index, "SELECT coalesce(max(v), 1048576) FROM papers_fts_config WHERE k='hashsize'"));
        using var check = new SqliteConnection($"Data Source={index};Pooling=False");
        check.Open();
        using var cmd = check.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", cmd.ExecuteScalar());
    }
}
