namespace PaperLens.Core;
public static class PaperMerger { public static IReadOnlyList<Paper> Merge(IEnumerable<Paper> p) => throw new NotImplementedException(); }
