namespace Kim.WebApp.Components.Kern;

/// <summary>Element ids derived from form field names, and the aria-describedby list of a field.</summary>
public static class FieldIds
{
    public static string For(string name) =>
        "f-" + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());

    public static string? DescribedBy(string id, bool hint, bool error) =>
        (hint, error) switch
        {
            (false, false) => null,
            (true, false) => id + "-hint",
            (false, true) => id + "-error",
            _ => $"{id}-hint {id}-error",
        };
}
