namespace Kim.WebApp.Components.Planning;

/// <summary>A step of one version of a service chain as compared: what people read of it (names, not ids).</summary>
public sealed record ComparedStep(
    int Order, string Activity, string Organisation, string LegalDomain, string Preconditions, string Guarantees, string Standards, int TargetDays);

public enum StepChange
{
    Unchanged,
    Changed,
    Added,
    Removed,
}

/// <summary>One row of a comparison: a step of the older version, of the newer one, or both, and what changed in words.</summary>
public sealed record StepDifference(StepChange Change, ComparedStep? Old, ComparedStep? New, IReadOnlyList<string> Changes);

/// <summary>
/// Compares two versions of a service chain step by step. Steps with the same activity are the same step (found as the
/// longest common sequence, so an inserted step does not make every later step look changed); between two such steps,
/// what the older version had and the newer has at the same place counts as changed, what is left over as removed or
/// added. Every change is named in words (field, before, after), never told by colour alone.
/// </summary>
public static class ChainComparison
{
    public static IReadOnlyList<StepDifference> Compare(IReadOnlyList<ComparedStep> older, IReadOnlyList<ComparedStep> newer)
    {
        var a = older.OrderBy(s => s.Order).ToList();
        var b = newer.OrderBy(s => s.Order).ToList();
        var length = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                length[i, j] = Key(a[i]) == Key(b[j]) ? length[i + 1, j + 1] + 1 : Math.Max(length[i + 1, j], length[i, j + 1]);
            }
        }

        var result = new List<StepDifference>();
        var removed = new List<ComparedStep>();
        var added = new List<ComparedStep>();
        int x = 0, y = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && Key(a[x]) == Key(b[y]))
            {
                Flush(result, removed, added);
                result.Add(Pair(a[x], b[y]));
                x++;
                y++;
            }
            else if (y < b.Count && (x == a.Count || length[x, y + 1] >= length[x + 1, y]))
            {
                added.Add(b[y++]);
            }
            else
            {
                removed.Add(a[x++]);
            }
        }

        Flush(result, removed, added);
        return result;
    }

    /// <summary>E.g. "1 Schritt geändert, 1 Schritt neu, kein Schritt entfallen, 2 Schritte unverändert".</summary>
    public static string Summary(IReadOnlyList<StepDifference> differences) => string.Join(", ",
        Count(differences, StepChange.Changed, "geändert"),
        Count(differences, StepChange.Added, "neu"),
        Count(differences, StepChange.Removed, "entfallen"),
        Count(differences, StepChange.Unchanged, "unverändert"));

    public static string Name(StepChange change) => change switch
    {
        StepChange.Changed => "geändert",
        StepChange.Added => "neu",
        StepChange.Removed => "entfallen",
        _ => "unverändert",
    };

    private static string Count(IReadOnlyList<StepDifference> differences, StepChange change, string word) =>
        differences.Count(d => d.Change == change) switch
        {
            0 => $"kein Schritt {word}",
            1 => $"1 Schritt {word}",
            var n => $"{n} Schritte {word}",
        };

    private static string Key(ComparedStep step) => step.Activity.Trim().ToLowerInvariant();

    private static void Flush(List<StepDifference> result, List<ComparedStep> removed, List<ComparedStep> added)
    {
        var pairs = Math.Min(removed.Count, added.Count);
        for (var i = 0; i < pairs; i++)
        {
            result.Add(Pair(removed[i], added[i]));
        }

        result.AddRange(removed.Skip(pairs).Select(s => new StepDifference(StepChange.Removed, s, null, [])));
        result.AddRange(added.Skip(pairs).Select(s => new StepDifference(StepChange.Added, null, s, [])));
        removed.Clear();
        added.Clear();
    }

    private static StepDifference Pair(ComparedStep old, ComparedStep @new)
    {
        var changes = new List<string>();
        Text(changes, "Tätigkeit", old.Activity, @new.Activity);
        Text(changes, "Verantwortlich", old.Organisation, @new.Organisation);
        Text(changes, "Rechtskreis", old.LegalDomain, @new.LegalDomain);
        Text(changes, "Voraussetzungen", old.Preconditions, @new.Preconditions);
        Text(changes, "Zusicherungen bei der Übergabe", old.Guarantees, @new.Guarantees);
        Text(changes, "Standards", old.Standards, @new.Standards);
        if (old.TargetDays != @new.TargetDays)
        {
            changes.Add($"Zielzeit: {Days(@new.TargetDays)} statt {Days(old.TargetDays)}");
        }

        return new StepDifference(changes.Count == 0 ? StepChange.Unchanged : StepChange.Changed, old, @new, changes);
    }

    private static void Text(List<string> changes, string field, string old, string @new)
    {
        if (!string.Equals(old.Trim(), @new.Trim(), StringComparison.Ordinal))
        {
            changes.Add($"{field}: „{Shown(@new)}“ statt „{Shown(old)}“");
        }
    }

    private static string Shown(string text) => text.Trim().Length == 0 ? "–" : text.Trim();

    public static string Days(int days) => days == 1 ? "1 Tag" : $"{days} Tage";
}
