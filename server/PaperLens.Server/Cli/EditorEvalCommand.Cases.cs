using System.IO.Compression;
using PaperLens.Features.Ranking;

namespace PaperLens.Server.Cli;

/// <summary>
/// `eval-editor --cases-out FILE` / `--cases-in FILE`: the ranked sites (each candidate's features, keys, which are cited)
/// saved once and read back, so that scorers can be fitted and compared without ranking every site again.
/// </summary>
public static partial class EditorEvalCommand
{
    private const string CasesMagic = "paperlens-eval-cases-1";

    private static void WriteCases(string path, string name, List<(string Field, EvalCase Case)> cases)
    {
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        using var w = new BinaryWriter(zip);
        w.Write(CasesMagic);
        w.Write(name);
        w.Write(RankingFeatures.Count);
        foreach (var feature in RankingFeatures.Names) w.Write(feature);
        w.Write(cases.Count);
        foreach (var (field, c) in cases)
        {
            w.Write(field); w.Write(c.Document); w.Write(c.CitedCount); w.Write(c.Keys.Length);
            w.Write(c.Keys.Length == 0 ? 0 : c.Features[0].Length);
            for (int i = 0; i < c.Keys.Length; i++)
            {
                w.Write(c.Keys[i]); w.Write(c.Relevant[i]);
                foreach (double x in c.Features[i]) w.Write(x);
            }
        }
    }

    /// <summary>
    /// Sites saved in several files, pooled: each field named after its file's set ("ACM-CR, own scope: context"). Folds
    /// stay by citing document, so a paper in two files (ACM-CR own and corpus) falls in the same fold in both.
    /// </summary>
    private static (string Name, List<(string Field, EvalCase Case)> Cases) ReadCases(string[] paths)
    {
        if (paths.Length == 1) return ReadCases(paths[0]);
        var sets = paths.Select(ReadCases).ToList();
        return ("pooled: " + string.Join("; ", sets.Select(s => s.Name)),
            sets.SelectMany(s => s.Cases.Select(c => ($"{s.Name}: {c.Field}", c.Case))).ToList());
    }

    /// <summary>The saved sites; features are matched by name, so a file from before a feature was added reads it as 0.</summary>
    private static (string Name, List<(string Field, EvalCase Case)> Cases) ReadCases(string path)
    {
        using var file = File.OpenRead(path);
        using var zip = new GZipStream(file, CompressionMode.Decompress);
        using var r = new BinaryReader(zip);
        if (r.ReadString() != CasesMagic) throw new CliException($"{path}: not an eval-editor cases file");
        string name = r.ReadString();
        var names = Enumerable.Range(0, r.ReadInt32()).Select(_ => r.ReadString()).ToArray();
        var slot = names.Select(n => Array.IndexOf(RankingFeatures.Names, n)).ToArray();
        int count = r.ReadInt32();
        var cases = new List<(string, EvalCase)>(count);
        for (int k = 0; k < count; k++)
        {
            string field = r.ReadString(), document = r.ReadString();
            int cited = r.ReadInt32(), n = r.ReadInt32(), width = r.ReadInt32();
            var keys = new string[n];
            var relevant = new bool[n];
            var features = new double[n][];
            for (int i = 0; i < n; i++)
            {
                keys[i] = r.ReadString(); relevant[i] = r.ReadBoolean();
                // Slots past the named features (a second model's) keep their place after this build's features.
                var f = features[i] = new double[RankingFeatures.Count + Math.Max(0, width - names.Length)];
                for (int j = 0; j < width; j++)
                {
                    double x = r.ReadDouble();
                    if (j >= names.Length) f[RankingFeatures.Count + j - names.Length] = x;
                    else if (slot[j] >= 0) f[slot[j]] = x;
                }
            }
            cases.Add((field, new EvalCase(document, features, keys, relevant, cited)));
        }
        return (name, cases);
    }
}
