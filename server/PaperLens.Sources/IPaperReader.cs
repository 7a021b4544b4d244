using PaperLens.Core;

namespace PaperLens.Sources;

/// <summary>Reads papers from one kind of source, streaming. Problems go to <paramref name="report"/>; reading goes on.</summary>
public interface IPaperReader
{
    IEnumerable<Paper> Read(string path, TextReader text, Action<SourceProblem> report);
}
