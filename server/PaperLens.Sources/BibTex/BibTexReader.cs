using PaperLens.Core;

namespace PaperLens.Sources.BibTex;

/// <summary>Stub: replaced by the real BibTeX reader.</summary>
public sealed class BibTexReader : IPaperReader
{
    public IEnumerable<Paper> Read(string path, TextReader text, Action<SourceProblem> report) => [];
}
