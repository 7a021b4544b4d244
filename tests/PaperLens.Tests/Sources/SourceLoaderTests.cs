using System.Text;
using PaperLens.Core;
using PaperLens.Sources;
using static PaperLens.Tests.Sources.SourceTestSupport;

namespace PaperLens.Tests.Sources;

public class SourceLoaderTests
{
    private const string Title = "Pointer Networks for Discrete Output Dictionaries";
    private const string ListingText = Title + "\n\nWe introduce a new neural architecture to learn the conditional probability of an output sequence with elements that are discrete tokens corresponding to positions in an input sequence.\n";
    private const string JsonlLine = """{"id":"1506.03134","title":"Pointer Networks for Discrete Output Dictionaries","abstract":"We introduce a new neural architecture.","versions":[{"version":"v1","created":"Tue, 9 Jun 2015 19:00:00 GMT"}],"authors_parsed":[["Vinyals","Oriol",""]]}""";

    [Fact]
    public void Corpus_paths_cover_their_files_folders_and_globs()
    {
        using var dir = new TempDirectory();
        var bib = dir.File("refs/a/one.bib", "@misc{a, title = {A}}");
        var txt = dir.File("refs/list.txt", "x");
        Assert.True(SourceLoader.Covers(bib, bib));
        Assert.True(SourceLoader.Covers(dir.Combine("refs"), bib));
        Assert.True(SourceLoader.Covers(dir.Combine("refs", "**", "*.bib"), bib));
        Assert.False(SourceLoader.Covers(dir.Combine("refs", "**", "*.bib"), txt));
        Assert.False(SourceLoader.Covers(dir.Combine("refs", "*.bib"), bib)); // one folder level only
        Assert.False(SourceLoader.Covers(dir.Combine("ref"), bib));
    }

    [Fact]
    public void Discover_FoldersRecursively_SkipsBuildFolders_AndOtherExtensions()
    {
        using var dir = new TempDirectory();
        dir.File("refs/main.bib", "@article{a, title={A}}");
        dir.File("refs/sub/more.bibtex", "@misc{b, title={B}}");
        dir.File("refs/zotero.json", "[]");
        dir.File("refs/arxiv.jsonl", JsonlLine);
        dir.File("refs/list.txt", ListingText);
        dir.File("refs/notes.md", "# notes");
        dir.File("refs/bin/skip.bib", "@misc{c}");
        dir.File("refs/obj/skip.bib", "@misc{c}");
        dir.File("refs/node_modules/x/skip.bib", "@misc{c}");
        dir.File("refs/.git/skip.bib", "@misc{c}");
        var problems = new List<SourceProblem>();

        var files = SourceLoader.Discover([Path.Combine(dir.Path, "refs")], problems.Add);

        Assert.Empty(problems);
        Assert.Equal(
            [("arxiv.jsonl", SourceFormat.ArxivJsonl), ("list.txt", SourceFormat.Listing), ("main.bib", SourceFormat.BibTex),
             ("zotero.json", SourceFormat.CslJson), ("more.bibtex", SourceFormat.BibTex)],
            files.Select(f => (Path.GetFileName(f.Path), f.Format)));
        Assert.Equal(ListingText.Length, files[1].Length);
        Assert.True(files[1].LastWriteUtc > DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public void Discover_Globs_MissingPaths_Duplicates()
    {
        using var dir = new TempDirectory();
        dir.File("a/x1.bib", "@misc{a}");
        dir.File("a/deep/x2.bib", "@misc{b}");
        dir.File("a/y.bib", "@misc{c}");
        dir.File("a/deep/z.txt", ListingText);
        var problems = new List<SourceProblem>();

        var files = SourceLoader.Discover([
            Path.Combine(dir.Path, "a", "x?.bib"),
            Path.Combine(dir.Path, "a", "**", "*.bib"),
            Path.Combine(dir.Path, "a", "*", "*.txt"),
            Path.Combine(dir.Path, "missing.bib"),
            Path.Combine(dir.Path, "a", "*.nothing"),
        ], problems.Add);

        Assert.Equal(["x1.bib", "y.bib", "x2.bib", "z.txt"], files.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(2, problems.Count);
        Assert.Contains("not found", problems[0].Message);
        Assert.Contains("no source files match", problems[1].Message);
    }

    [Fact]
    public void Discover_SniffsJsonLinesInDotJson_AndNamedFilesWithoutKnownExtension()
    {
        using var dir = new TempDirectory();
        var jsonl = dir.File("arxiv-metadata-oai-snapshot.json", JsonlLine + "\n" + JsonlLine.Replace("1506.03134", "1506.00001") + "\n");
        var pretty = dir.File("single.json", "{\n  \"id\": \"k\",\n  \"title\": \"A Lone Item\"\n}\n");
        var bib = dir.File("refs.bibliography", "@article{key, title = {T}}");
        var unknown = dir.File("notes.xyz", "just some text");
        var problems = new List<SourceProblem>();

        var files = SourceLoader.Discover([jsonl, pretty, bib, unknown], problems.Add);

        Assert.Equal([SourceFormat.ArxivJsonl, SourceFormat.CslJson, SourceFormat.BibTex], files.Select(f => f.Format));
        Assert.Contains("unknown file type", Assert.Single(problems).Message);
        Assert.Equal(2, SourceLoader.Read(files[0], problems.Add).Count());
    }

    [Fact]
    public void EmptyAndWhitespaceOnlyFiles_AreReported()
    {
        using var dir = new TempDirectory();
        foreach (var text in new[] { "", "  \n\r\n\t " })
        {
            var (papers, problems) = ReadFile(dir.File($"empty{text.Length}.txt", text));
            Assert.Empty(papers);
            Assert.Equal("empty file", Assert.Single(problems).Message);
        }
    }

    [Fact]
    public void BinaryFile_IsSkipped()
    {
        using var dir = new TempDirectory();
        var bytes = new byte[20_000];
        new Random(7).NextBytes(bytes);
        bytes[100] = 0;
        var (papers, problems) = ReadFile(dir.File("model.bib", bytes));
        Assert.Empty(papers);
        Assert.Equal("binary file, skipped", Assert.Single(problems).Message);
    }

    [Fact]
    public void Latin1File_IsReadWithAWarningAtTheFirstBadByte()
    {
        using var dir = new TempDirectory();
        var text = "Mar 17\n\nÜber die Ähnlichkeit von Dokumenten\n\nWir untersuchen die Ähnlichkeit von Dokumenten – eine Frage, die für Suchmaschinen, Empfehlungssysteme und Bibliotheken gleichermaßen wichtig ist; „Ähnlichkeit“ wird dabei präzise definiert.\n";
        var path = dir.File("latin1.txt", Encoding.Latin1.GetBytes(text.Replace('–', '-').Replace('„', '"').Replace('“', '"')));
        var (papers, problems) = ReadFile(path);

        var paper = Assert.Single(papers);
        Assert.Equal("Über die Ähnlichkeit von Dokumenten", paper.Title);
        Assert.Contains("gleichermaßen", paper.Abstract);
        var problem = Assert.Single(problems);
        Assert.Equal("not UTF-8, read as Latin-1 (Windows-1252)", problem.Message);
        Assert.Equal(3, problem.Location.Line);
    }

    [Fact]
    public void Windows1252Punctuation_AndBadByteFarIntoTheFile()
    {
        using var dir = new TempDirectory();
        var head = new StringBuilder();
        for (int i = 0; i < 3000; i++) head.Append("chrome line\n");    // ~36 KB of UTF-8 before the first bad byte
        byte[] bytes = [
            .. Encoding.UTF8.GetBytes(head + "\nCaf\u00e9 Papers\n\nThe caf"),
            0xE9, 0x20, 0x93, .. "quoted"u8, 0x94,                           // Windows-1252: é “quoted”
            .. " text, and enough further words to make this a long abstract paragraph for the listing reader.\n"u8];
        var (papers, problems) = ReadFile(dir.File("mixed.txt", bytes));

        var paper = Assert.Single(papers);
        Assert.Equal("Café Papers", paper.Title);                      // valid UTF-8 stays UTF-8
        Assert.StartsWith("The café “quoted” text", paper.Abstract);
        Assert.Equal(3004, Assert.Single(problems).Location.Line);
    }

    [Fact]
    public void ByteOrderMarks_AreHonoured()
    {
        using var dir = new TempDirectory();
        var utf8 = dir.File("bom8.jsonl", Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(JsonlLine)).ToArray());
        var utf16 = dir.File("bom16.txt", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(ListingText)).ToArray());
        foreach (var path in new[] { utf8, utf16 })
        {
            var (papers, problems) = ReadFile(path);
            Assert.Empty(problems);
            Assert.Equal(Title, Assert.Single(papers).Title);
        }
    }

    [Fact]
    public void IoErrorMidRead_IsReported_PapersBeforeItKept()
    {
        var lines = Enumerable.Range(1, 2000).Select(i => JsonlLine.Replace("1506.03134", $"1506.{i:00000}"));
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        var problems = new List<SourceProblem>();

        var papers = SourceLoader.Read("flaky.jsonl", SourceFormat.ArxivJsonl, new FailingStream(bytes, failAfter: 100_000), problems.Add).ToList();

        Assert.InRange(papers.Count, 100, 1999);
        var problem = Assert.Single(problems);
        Assert.StartsWith("read error, rest of file skipped", problem.Message);
    }

    [Fact]
    public void FileDeletedAfterDiscovery_IsReported()
    {
        using var dir = new TempDirectory();
        var path = dir.File("gone.txt", ListingText);
        var file = SourceLoader.Discover([path], _ => { }).Single();
        File.Delete(path);
        var problems = new List<SourceProblem>();
        Assert.Empty(SourceLoader.Read(file, problems.Add));
        Assert.StartsWith("cannot open", Assert.Single(problems).Message);
    }

    [Fact]
    public void TruncatedCslJson_AndJsonlWithBrokenLine_ThroughTheLoader()
    {
        using var dir = new TempDirectory();
        var csl = dir.File("trunc.json", "[\n{\"id\": \"a2020\", \"title\": \"Kept Item\"},\n{\"id\": \"b\", \"title\": \"Cut");
        var jsonl = dir.File("broken.jsonl", JsonlLine + "\n{\"id\": \"x\", \"title\"\n" + JsonlLine.Replace("1506.03134", "1506.99999") + "\n");

        var (cslPapers, cslProblems) = ReadFile(csl);
        Assert.Equal("a2020", Assert.Single(cslPapers).Key);
        Assert.Equal(3, Assert.Single(cslProblems).Location.Line);

        var (papers, problems) = ReadFile(jsonl);
        Assert.Equal(["1506.03134", "1506.99999"], papers.Select(p => p.ArxivId));
        Assert.Equal(2, Assert.Single(problems).Location.Line);
    }

    [Fact]
    public void LoadAll_MergesAcrossFormats_AndAssignsKeys()
    {
        using var dir = new TempDirectory();
        dir.File("refs/list.txt", ListingText);
        dir.File("refs/arxiv.jsonl", JsonlLine);
        dir.File("refs/zotero.json", File.ReadAllText(Fixture("zotero-export.json")));
        var problems = new List<SourceProblem>();

        var papers = SourceLoader.LoadAll([Path.Combine(dir.Path, "refs")], problems.Add);

        Assert.Contains("no title", Assert.Single(problems).Message);
        Assert.Equal(5, papers.Count);                                  // 4 Zotero items + Pointer Networks once
        var pointer = Assert.Single(papers, p => p.Title == Title);
        Assert.Equal("vinyals2015pointer", pointer.Key);
        Assert.EndsWith("arxiv.jsonl", pointer.Source.File);               // files are read in sorted order
        Assert.StartsWith("We introduce a new neural architecture to learn", pointer.Abstract);   // the longer abstract
        Assert.Equal(papers.Count, papers.Select(p => p.Key).Distinct().Count());
    }

    /// <summary>A stream that serves bytes, then fails like a disk or network error.</summary>
    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        // MemoryStream routes span reads of a subclass through this overload.
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAfter) throw new IOException("Input/output error");
            return base.Read(buffer, offset, Math.Min(count, 4096));
        }
    }
}
