using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using PaperLens.Core;
using PaperLens.Sources.BibTex;
using Xunit.Abstractions;

namespace PaperLens.Tests.BibTex;

/// <summary>Parses every .bib file of the ACM-CR collection straight from its tar.gz.</summary>
public class AcmCrBibTests(ITestOutputHelper output)
{
    private const string Archive = "data/acm-cr/acm-cr-collection.tar.gz";

    [SharedDataFact(Archive)]
    public void Loads_the_whole_acm_cr_collection()
    {
        var papers = new List<Paper>();
        var problems = new List<SourceProblem>();
        int files = 0;
        var clock = Stopwatch.StartNew();

        using (var gzip = new GZipStream(File.OpenRead(SharedData.Find(Archive)!), CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } file)
            {
                if (file.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !file.Name.EndsWith(".bib") || file.DataStream == null)
                    continue;
                files++;
                using var text = new StreamReader(file.DataStream);
                papers.AddRange(new BibTexReader().Read(file.Name, text, problems.Add));
            }
        }
        clock.Stop();

        int withTitle = papers.Count(p => p.Title.Length > 0);
        int withAbstract = papers.Count(p => p.Abstract != null);
        int withAuthors = papers.Count(p => p.Authors.Count > 0);
        output.WriteLine($"{papers.Count} papers from {files} .bib files in {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"titles {withTitle}, abstracts {withAbstract} ({100.0 * withAbstract / papers.Count:F1} %), authors {withAuthors}, years {papers.Count(p => p.Year != null)}, DOIs {papers.Count(p => p.Doi != null)}");
        output.WriteLine($"{problems.Count} problems:");
        foreach (var problem in problems) output.WriteLine($"  {problem}");

        Assert.Equal(903, files);
        Assert.Equal(113_512, papers.Count);
        Assert.Empty(problems);
        Assert.True(withTitle >= papers.Count * 0.999, $"only {withTitle} titles");
        Assert.True(withAbstract >= papers.Count * 0.85, $"only {withAbstract} abstracts");
        Assert.True(withAuthors >= papers.Count * 0.98, $"only {withAuthors} with authors");
        // No LaTeX should survive conversion in the fields shown to users.
        Assert.DoesNotContain(papers, p => p.Title.Contains('\\') || p.Authors.Any(a => a.Family.Contains('\\') || a.Given.Contains('{')));
    }
}
