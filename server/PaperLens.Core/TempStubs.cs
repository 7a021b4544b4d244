namespace PaperLens.Core;
public static class PaperMerger { public static IReadOnlyList<Paper> Merge(IEnumerable<Paper> p) => throw new NotImplementedException(); }
public static class LatexText { public static string ToUnicode(string s) => s; }
