using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using PaperLens.Features.Bib;
using PaperLens.Sources.BibTex;
using Xunit.Abstractions;

namespace PaperLens.Tests.Features.Bib;

/// <summary>The bib features on real exported records: the ACM-CR collection's .bib files.</summary>
public class BibAcmCrTests(ITestOutputHelper output)
{
    private const string Archive = "data/acm-cr/acm-cr-collection.tar.gz";

    /// <summary>The first .bib files of the collection joined into one text of at least <paramref name="entries"/> entries.</summary>
    private static string RealBib(int entries)
    {
        var sb = new StringBuilder();
        int count = 0;
        using var gzip = new GZipStream(File.OpenRead(SharedData.Find(Archive)!), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (count < entries && tar.GetNextEntry() is { } file)
        {
            if (!file.Name.EndsWith(".bib", StringComparison.Ordinal) || file.DataStream == null) continue;
            string text = new StreamReader(file.DataStream).ReadToEnd();
            count += BibParser.Parse(text, file.Name).OfType<BibEntry>().Count();
            sb.Append(text).Append('\n');
        }
        return sb.ToString();
    }

    [SharedDataFact(Archive)]
    public void Parses_5000_real_entries_quickly_without_problems()
    {
        string text = RealBib(5000);
        BibDocument.Parse("warmup.bib", text[..(text.Length / 10)]);

        var times = new List<double>();
        BibDocument bib = null!;
        for (int run = 0; run < 5; run++)
        {
            var watch = Stopwatch.StartNew();
            bib = BibDocument.Parse("acm.bib", text);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var watchMap = Stopwatch.StartNew();
        var symbols = BibSymbols.For(bib);
        output.WriteLine($"{bib.Entries.Count} real entries, {text.Length / 1024} KiB: parse median {times[2]:F0} ms (best {times[0]:F0} ms); "
            + $"then mapping every paper for symbols {watchMap.Elapsed.TotalMilliseconds:F0} ms");

        Assert.True(bib.Entries.Count >= 5000);
        Assert.Empty(bib.Errors);
        Assert.Equal(bib.Entries.Count, symbols.Count);
    }

    [SharedDataFact(Archive)]
    public void Real_papers_written_back_read_the_same()
    {
        var bib = BibDocument.Parse("acm.bib", RealBib(3000));
        int checkedCount = 0;
        var mismatches = new List<string>();
        foreach (var entry in bib.Entries)
        {
            var paper = entry.Paper;
            string written = BibEntryWriter.Format(paper, BibKeys.Sanitize(paper.Key));
            var items = BibParser.Parse(written, "out.bib").ToList();
            if (items is not [BibEntry back])
            {
                mismatches.Add($"{entry.Key}: not one entry: {string.Join("; ", items)}");
                continue;
            }
            var again = BibTexReader.ToPaper(back);
            checkedCount++;
            if (again.Title != paper.Title) mismatches.Add($"{entry.Key} title: '{paper.Title}' → '{again.Title}'");
            if (!again.Authors.SequenceEqual(paper.Authors)) mismatches.Add($"{entry.Key} authors: {string.Join("; ", paper.Authors)} → {string.Join("; ", again.Authors)}");
            if (again.Year != paper.Year || again.Venue != paper.Venue || again.Doi != paper.Doi || again.ArxivId != paper.ArxivId || again.Url != paper.Url)
                mismatches.Add($"{entry.Key} year/venue/ids: {paper.Year} {paper.Venue} {paper.Doi} {paper.Url} → {again.Year} {again.Venue} {again.Doi} {again.Url}");
            if (again.Abstract != paper.Abstract) mismatches.Add($"{entry.Key} abstract differs:\n  {paper.Abstract}\n  {again.Abstract}");
        }
        output.WriteLine($"{checkedCount} real papers written and read back, {mismatches.Count} mismatches");
        foreach (var mismatch in mismatches.Take(20)) output.WriteLine(mismatch);

        Assert.True(checkedCount >= 3000);
        Assert.Empty(mismatches);
    }
}
