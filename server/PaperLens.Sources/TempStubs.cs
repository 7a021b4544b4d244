using PaperLens.Core;
namespace PaperLens.Sources;
public enum SourceFormat { BibTex }
public sealed record SourceFile(string Path, SourceFormat Format, long Length, DateTime LastWriteUtc);
public static class SourceLoader {
  public static IReadOnlyList<SourceFile> Discover(IEnumerable<string> p, Action<SourceProblem> r) => throw new NotImplementedException();
  public static IEnumerable<Paper> Read(SourceFile f, Action<SourceProblem> r) => throw new NotImplementedException();
}
