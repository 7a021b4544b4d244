using Microsoft.Data.Sqlite;
using PaperLens.Core;
using PaperLens.Index;

namespace PaperLens.Tests.Index;

public class PaperStoreTests
{
    private static Paper Paper(string key, string title, string? abs = null) =>
        new() { Key = key, Title = title, Abstract = abs, Authors = [new PersonName("Müller", "Jürgen")], Year = 2020, Source = new("x.bib", 1) };

    [Fact]
    public void Round_trips_every_field()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        var paper = Paper("k1", "A Title", "An abstract.") with { Venue = "SIGIR", Doi = "10.1/x", ArxivId = "2401.00001", Url = "https://e.org", EntryType = "article", HasSourceKey = true };
        store.ApplyChanges([], [paper]);
        var back = store.GetByKey("k1")!.Paper;
        Assert.Equal(paper with { Authors = back.Authors }, back);
        Assert.Equal(paper.Authors, back.Authors);
    }

    [Fact]
    public void Authors_come_back_as_written_escapes_and_all_and_a_malformed_column_says_so()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        PersonName[] authors = [new("O'Brien \"Jr\"", "Seán"), new("van der Berg", ""), new("李", "小龙"), new("Tab\tand\\slash", "A. B.")];
        store.ApplyChanges([], [Paper("k1", "T") with { Authors = authors }, Paper("k2", "U") with { Authors = [] }]);
        Assert.Equal(authors, store.GetByKey("k1")!.Paper.Authors);
        Assert.Empty(store.GetByKey("k2")!.Paper.Authors);
        Assert.Equal([new PersonName("Solo")], PaperStore.ParseAuthors("[[\"Solo\"]]"u8));
        foreach (var bad in new[] { "{}", "[[\"A\",1]]", "[[\"A\"", "[\"A\"]" })
            Assert.ThrowsAny<System.Text.Json.JsonException>(() => PaperStore.ParseAuthors(System.Text.Encoding.UTF8.GetBytes(bad)));
    }

    [Fact]
    public void Newer_schema_is_refused_with_a_clear_message()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("i.db");
        using (var store = PaperStore.Open(path)) store.SetMeta("schema_version", "99");
        var e = Assert.Throws<IndexFormatException>(() => PaperStore.Open(path));
        Assert.Contains("newer", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_database_gives_a_clear_error()
    {
        using var dir = new TempDirectory();
        var path = dir.File("i.db", new string('x', 8192));
        var e = Assert.Throws<IndexFormatException>(() => PaperStore.Open(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void An_unknown_older_layout_is_rebuilt_not_half_read()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("i.db");
        SQLitePCL.Batteries_V2.Init();
        using (var db = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "CREATE TABLE papers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO papers(name) VALUES ('old');";
            cmd.ExecuteNonQuery();
        }
        using var store = PaperStore.Open(path);
        Assert.Equal(0, store.Stats(null).Papers);
        store.ApplyChanges([], [Paper("k", "T")]);
        Assert.Equal(1, store.Stats(null).Papers);
    }

    [Theory]
    [InlineData("\"unbalanced quote")]
    [InlineData("NEAR(retrieval ranking, 3)")]
    [InlineData("retriev* -dense title:graph (a OR b) AND NOT c ^ {x}")]
    [InlineData("   ")]
    [InlineData("a the of")]
    public void Lexical_search_never_breaks_on_fts5_syntax(string text)
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        store.ApplyChanges([], [Paper("k", "Dense retrieval and graph ranking", "NEAR title")]);
        var hits = store.LexicalSearch(LexicalQuery.Build(text), 10);
        Assert.True(hits.Count <= 1);
    }

    [Fact]
    public void Lexical_search_finds_words_across_diacritics_and_stems()
    {
        using var dir = new TempDirectory();
        using var store = PaperStore.Open(dir.Combine("i.db"));
        store.ApplyChanges([], [Paper("k1", "Ranking retrieved documents", "About rankings."), Paper("k2", "Unrelated title", "Nothing here.") with { Authors = [new PersonName("Lee")] }]);
        var hits = store.LexicalSearch(LexicalQuery.Build("rank the retrieval"), 10);
        Assert.Equal(store.GetByKey("k1")!.Id, Assert.Single(hits).Id);
        Assert.Equal(store.GetByKey("k1")!.Id, Assert.Single(store.LexicalSearch(LexicalQuery.Build("muller"), 10)).Id);
    }

    [Fact]
    public void Fts_table_reads_its_columns_back_after_the_schema_1_migration()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("i.db");
        // A file as schema 1 wrote it: its FTS5 table named a column "authors" that papers does not have.
        using (var v1 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            v1.Open();
            using var cmd = v1.CreateCommand();
            cmd.CommandText = IndexSchema.CreateV1 + """
                INSERT INTO meta(name, value) VALUES ('schema_version', '1');
                INSERT INTO papers(key, has_source_key, title, authors_json, authors_text, entry_type, source_file, source_line, content_hash, text_hash)
                VALUES ('old', 1, 'Rotary Position Embeddings Revisited', '[["Su","Jianlin"]]', 'Jianlin Su', 'article', 'a.bib', 1, 'c', 't');
                """;
            cmd.ExecuteNonQuery();
            cmd.CommandText = "INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')";
            Assert.Contains("no such column", Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery()).Message);
        }

        using var store = PaperStore.Open(path);
        Assert.Equal(IndexSchema.CurrentVersion.ToString(), store.GetMeta("schema_version"));
        store.ApplyChanges([], [Paper("new", "Position Interpolation for Long Context", "We stretch rotary embeddings.")]);
        Assert.Equal(2, store.LexicalSearch("\"rotary\"", 10).Count);       // the migrated row was re-indexed
        Assert.Single(store.PrefixSearch("jianl", 10));

        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        using var q = db.CreateCommand();
        q.CommandText = "INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')";
        q.ExecuteNonQuery();
        q.CommandText = "SELECT * FROM papers_fts ORDER BY rowid";
        using (var r = q.ExecuteReader())
        {
            Assert.True(r.Read());
            Assert.Equal(("Rotary Position Embeddings Revisited", "Jianlin Su"), (r.GetString(0), r.GetString(1)));
        }
        q.CommandText = "SELECT snippet(papers_fts, 2, '[', ']', '…', 10) FROM papers_fts WHERE papers_fts MATCH 'stretch'";
        Assert.Equal("We [stretch] rotary embeddings.", q.ExecuteScalar());
    }

    [Fact]
    public void Schema_1_fp32_vectors_become_int8_rows_without_overflow_pages()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("i.db");
        var random = new Random(5);
        float[] Unit() { var v = Enumerable.Range(0, 384).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(); var n = MathF.Sqrt(v.Sum(x => x * x)); return v.Select(x => x / n).ToArray(); }
        var first = Unit();
        using (var v1 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            v1.Open();
            using var cmd = v1.CreateCommand();
            cmd.CommandText = IndexSchema.CreateV1 + """
                INSERT INTO meta(name, value) VALUES ('schema_version', '1');
                INSERT INTO papers(key, has_source_key, title, authors_json, authors_text, entry_type, source_file, source_line, content_hash, text_hash)
                VALUES ('old', 1, 'A Paper', '[]', '', 'article', 'a.bib', 1, 'c', 'h0');
                INSERT INTO embeddings(model, text_hash, vector) VALUES ('m', 'h0', $v);
                """;
            cmd.Parameters.AddWithValue("$v", System.Runtime.InteropServices.MemoryMarshal.AsBytes(first.AsSpan()).ToArray());
            cmd.ExecuteNonQuery();
        }
        using var store = PaperStore.Open(path);
        var id = store.GetByKey("old")!.Id;
        Assert.Equal([(id, 1f)], store.LoadVectors("m", 384).Search(first, 1).Select(h => (h.Id, MathF.Round(h.Score, 3))));

        // 4,000 more vectors: a row each that fits its page (fp32 blobs took an overflow page each, about 4.6 KB).
        long before = new FileInfo(path).Length + new FileInfo(path + "-wal").Length;
        var papers = Enumerable.Range(1, 4000).Select(i => Paper($"k{i}", $"Paper {i}")).ToList();
        store.ApplyChanges([], papers);
        long afterPapers = new FileInfo(path).Length + new FileInfo(path + "-wal").Length;
        var pending = store.PendingEmbeddings("m");
        store.SaveEmbeddings("m", pending.Select(p => (p.TextHash, Unit())));
        using (var checkpoint = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            checkpoint.Open();
            using var cmd = checkpoint.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            cmd.ExecuteNonQuery();
        }
        long perVector = (new FileInfo(path).Length - afterPapers) / pending.Count;
        Assert.True(perVector < 600, $"{perVector} bytes per vector (papers took {afterPapers - before})");
        Assert.Equal(pending.Count + 1, store.LoadVectors("m", 384).Count);
    }

    private static List<long> Hits(SqliteConnection db, string match)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT rowid FROM papers_fts WHERE papers_fts MATCH $q ORDER BY rowid";
        cmd.Parameters.AddWithValue("$q", match);
        using var r = cmd.ExecuteReader();
        var ids = new List<long>();
        while (r.Read()) ids.Add(r.GetInt64(0));
        return ids;
    }

    [Fact]
    public void Without_triggers_the_fts_table_follows_inserts_updates_and_deletes_as_a_rebuild_from_the_rows_would()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("i.db");
        // A schema-4 file, whose rows triggers put into the FTS5 table.
        using (var v4 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            v4.Open();
            IndexSchema.Ensure(v4, 4);
            using var cmd = v4.CreateCommand();
            cmd.CommandText = """
                INSERT INTO papers(key, has_source_key, title, authors_json, authors_text, entry_type, source_file, source_line, content_hash, text_hash)
                VALUES ('old', 1, 'Quokka habitats', '[]', '', 'article', 'a.bib', 1, 'c', 'h');
                """;
            cmd.ExecuteNonQuery();
        }

        using var store = PaperStore.Open(path);
        store.ApplyChanges([], Enumerable.Range(0, 30).Select(i => Paper($"k{i}", $"Wombat burrows {i}", i % 2 == 0 ? "Marsupial digging." : null)).ToList());
        // Deletes (the newest row among them, whose id a new row may take), updates and inserts in one call.
        store.ApplyRows(["k29", "k3", "old"], [.. new[] { Paper("k4", "Platypus venom"), Paper("k6", "Wombat burrows 6", "Echidna spines."), Paper("n1", "Wombat cubes") }.Select(PaperRow.Of)]);
        store.ApplyChanges([], [Paper("n2", "Quokka smiles", "Marsupial photos.")]);

        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='trigger'";
            Assert.Equal(0L, cmd.ExecuteScalar());
            cmd.CommandText = "INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)"; // the index against the rows
            cmd.ExecuteNonQuery();
        }
        long Id(string key) => store.GetByKey(key)!.Id;
        Assert.Equal(new[] { Id("n2") }, Hits(db, "quokka"));
        Assert.Equal(new[] { Id("k4") }, Hits(db, "platypus venom"));
        Assert.Equal(new[] { Id("k6") }, Hits(db, "echidna"));
        Assert.Equal(28, Hits(db, "wombat").Count);                        // 30 - k29 - k3 - k4 + n1
        Assert.Equal(14, Hits(db, "marsupial").Count);                     // 15 even keys - k4 - k6 + n2
        var queries = new[] { "quokka", "wombat", "marsupial", "digging", "burrows", "cubes", "spines", "muller" };
        var before = queries.Select(q => Hits(db, q)).ToList();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')";
            cmd.ExecuteNonQuery();
        }
        Assert.Equal(before, queries.Select(q => Hits(db, q)).ToList());
    }

    [Fact]
    public void Schema_5_migrates_to_compact_hashes_and_model_ids_keeping_every_paper_vector_and_fts_row()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("i.db");
        var papers = Enumerable.Range(0, 50).Select(i => Paper($"k{i}", $"Wombat burrows {i}", i % 3 == 0 ? null : $"Marsupial digging {i}.")).ToList();
        var vectors = papers.Select((_, i) => Enumerable.Range(0, 8).Select(d => MathF.Sin(i * 8 + d)).ToArray()).ToList();
        // A schema-5 file as PaperLens wrote it: hex hashes, the model's name in every vector row; two models, one with half the vectors.
        using (var v5 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            v5.Open();
            IndexSchema.Ensure(v5, 5);
            using var cmd = v5.CreateCommand();
            cmd.CommandText = """
                INSERT INTO papers(key, has_source_key, title, authors_json, authors_text, year, abstract, entry_type, source_file, source_line, content_hash, text_hash)
                VALUES ($k, 0, $t, '[["Müller","Jürgen"]]', 'Jürgen Müller', 2020, $a, 'misc', 'x.bib', 1, $ch, $th);
                INSERT INTO papers_fts(rowid, title, authors_text, abstract) VALUES (last_insert_rowid(), $t, 'Jürgen Müller', $a);
                """;
            foreach (var name in new[] { "$k", "$t", "$a", "$ch", "$th" }) cmd.Parameters.AddWithValue(name, "");
            foreach (var p in papers)
            {
                var row = PaperRow.Of(p);
                cmd.Parameters["$k"].Value = p.Key;
                cmd.Parameters["$t"].Value = p.Title;
                cmd.Parameters["$a"].Value = (object?)p.Abstract ?? DBNull.Value;
                cmd.Parameters["$ch"].Value = row.ContentHash;
                cmd.Parameters["$th"].Value = row.TextHash;
                cmd.ExecuteNonQuery();
            }
            var calibration = VectorCalibration.Fit(vectors.SelectMany(v => v).ToArray(), 8);
            cmd.Parameters.Clear();
            cmd.CommandText = "INSERT INTO vector_calibration(model, calibration) VALUES ('model-a', $c), ('model-b', $c)";
            cmd.Parameters.AddWithValue("$c", calibration.ToBytes());
            cmd.ExecuteNonQuery();
            cmd.CommandText = "INSERT INTO vectors(model, text_hash, scale, codes) VALUES ($m, $h, $s, $codes)";
            foreach (var name in new[] { "$m", "$h", "$s", "$codes" }) cmd.Parameters.AddWithValue(name, "");
            var codes = new sbyte[8];
            for (int i = 0; i < papers.Count; i++)
                foreach (var model in i % 2 == 0 ? new[] { "model-a", "model-b" } : ["model-a"])
                {
                    cmd.Parameters["$m"].Value = model;
                    cmd.Parameters["$h"].Value = PaperHashes.Text(papers[i]);
                    cmd.Parameters["$s"].Value = VectorCodec.Quantize(vectors[i], calibration, codes);
                    cmd.Parameters["$codes"].Value = System.Runtime.InteropServices.MemoryMarshal.AsBytes(codes.AsSpan()).ToArray();
                    cmd.ExecuteNonQuery();
                }
        }

        using var store = PaperStore.Open(path);
        Assert.Equal("6", store.GetMeta("schema_version"));
        // Every paper, with its id, fields and hashes: a sync of the same papers changes nothing.
        var stored = store.AllPapers().ToList();
        Assert.Equal(papers.Select(p => p.Key), stored.Select(s => s.Paper.Key));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), stored.Select(s => s.Id));
        Assert.Equal(papers.Select(PaperHashes.Text), stored.Select(s => s.TextHash));
        Assert.All(store.LoadContentHashes(), h => Assert.Equal(PaperHashes.Content(papers.Single(p => p.Key == h.Key)), h.Value.ContentHash));
        Assert.Equal(papers.Select(p => p.Abstract), stored.Select(s => s.Paper.Abstract));
        // Every vector, under its own model.
        Assert.Empty(store.PendingEmbeddings("model-a"));
        Assert.Equal(25, store.PendingEmbeddings("model-b").Count);
        Assert.Equal(50, store.Stats("model-a").Embedded);
        Assert.Equal(25, store.Stats("model-b").CachedVectors);
        foreach (var (model, count) in new[] { ("model-a", 50), ("model-b", 25) })
        {
            var index = store.LoadVectors(model, 8);
            Assert.Equal(count, index.Count);
            var decoded = index.Decoded();
            for (int row = 0; row < index.Count; row++)
            {
                int i = (int)index.IdAt(row) - 1;
                Assert.True(model == "model-a" || i % 2 == 0);
                Assert.True(System.Numerics.Tensors.TensorPrimitives.Distance(vectors[i], decoded.AsSpan(row * 8, 8)) < 0.05f);
            }
        }
        Assert.Equal(50, store.LexicalSearch("\"wombat\"", 100).Count);
        Assert.Equal(33, store.LexicalSearch("\"marsupial\"", 100).Count);
        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        using var check = db.CreateCommand();
        check.CommandText = "SELECT count(*) FROM papers WHERE typeof(text_hash) = 'blob' AND length(text_hash) = 16 AND typeof(content_hash) = 'blob' AND length(content_hash) = 16";
        Assert.Equal(50L, check.ExecuteScalar());
        check.CommandText = "SELECT count(*) FROM vectors WHERE typeof(model_id) = 'integer' AND length(text_hash) = 16";
        Assert.Equal(75L, check.ExecuteScalar());
        // Compacted once: the old tables' pages are given back, and the file has the new page size.
        check.CommandText = "PRAGMA freelist_count";
        Assert.Equal(0L, check.ExecuteScalar());
        check.CommandText = "PRAGMA page_size";
        Assert.Equal(16384L, check.ExecuteScalar());
        check.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", check.ExecuteScalar());
        check.CommandText = "INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)";
        check.ExecuteNonQuery();
    }

    [Fact]
    public void A_row_written_as_new_whose_key_another_writer_stored_meanwhile_replaces_it_and_its_fts_row()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("i.db");
        using var store = PaperStore.Open(path);
        store.ApplyChanges([], [Paper("a", "Quokka habitats"), Paper("b", "Wombat burrows")]);
        // The caller's diff said "b" and "c" were new; "b" was there after all.
        store.ApplyRows([], [PaperRow.Of(Paper("a", "Quokka smiles"))], [PaperRow.Of(Paper("b", "Platypus venom")), PaperRow.Of(Paper("c", "Echidna spines"))]);

        Assert.Equal(["a", "b", "c"], store.AllKeys().Order());
        Assert.Equal("Platypus venom", store.GetByKey("b")!.Paper.Title);
        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        Assert.Empty(Hits(db, "wombat"));
        Assert.Empty(Hits(db, "habitats"));
        Assert.Equal(new[] { store.GetByKey("b")!.Id }, Hits(db, "platypus"));
        Assert.Equal(new[] { store.GetByKey("c")!.Id }, Hits(db, "echidna"));
        using var check = db.CreateCommand();
        check.CommandText = "INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)";
        check.ExecuteNonQuery();
    }

    [Fact]
    public void A_schema_5_file_another_connection_holds_open_migrates_without_compacting_and_keeps_its_rows()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("i.db");
        using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        other.Open();
        using (var cmd = other.CreateCommand())
        {
            cmd.CommandText = "PRAGMA journal_mode=WAL";
            cmd.ExecuteNonQuery();
        }
        IndexSchema.Ensure(other, 5);
        using (var cmd = other.CreateCommand())
        {
            cmd.CommandText = """
                INSERT INTO papers(key, has_source_key, title, authors_json, authors_text, entry_type, source_file, source_line, content_hash, text_hash)
                VALUES ('a', 1, 'Quokka habitats', '[]', '', 'article', 'a.bib', 1, '00112233445566778899aabbccddeeff', 'ffeeddccbbaa99887766554433221100');
                """;
            cmd.ExecuteNonQuery();
        }

        using var store = PaperStore.Open(path);
        Assert.Equal("6", store.GetMeta("schema_version"));
        var paper = Assert.Single(store.AllPapers());
        Assert.Equal(("a", "ffeeddccbbaa99887766554433221100"), (paper.Paper.Key, paper.TextHash));
        using var check = other.CreateCommand();
        check.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", check.ExecuteScalar());
    }
}
