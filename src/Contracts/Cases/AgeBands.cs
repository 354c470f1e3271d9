namespace Kim.Contracts.Cases;

/// <summary>The age bands used in every case event and report.</summary>
public static class AgeBands
{
    /// <summary>All bands in ascending order.</summary>
    public static readonly IReadOnlyList<string> All = ["0-17", "18-26", "27-44", "45-64", "65+"];

    /// <summary>
    /// The band of a person born on <paramref name="birthDate"/>, on <paramref name="onDate"/>. A year of life is
    /// complete on the birthday; someone born on 29 February completes it with the end of 28 February in other
    /// years (BGB §§ 187, 188), so is one year older from 1 March.
    /// </summary>
    public static string Of(DateOnly birthDate, DateOnly onDate)
    {
        var age = onDate.Year - birthDate.Year;
        if ((onDate.Month, onDate.Day).CompareTo((birthDate.Month, birthDate.Day)) < 0)
        {
            age--;
        }

        return age switch
        {
            < 18 => "0-17",
            < 27 => "18-26",
            < 45 => "27-44",
            < 65 => "45-64",
            _ => "65+",
        };
    }
}
