namespace Kim.Contracts.Cases;

/// <summary>The age bands used in every case event and report.</summary>
public static class AgeBands
{
    /// <summary>All bands in ascending order.</summary>
    public static readonly IReadOnlyList<string> All = ["0-17", "18-26", "27-44", "45-64", "65+"];

    /// <summary>The band of a person born on <paramref name="birthDate"/>, on <paramref name="onDate"/>.</summary>
    public static string Of(DateOnly birthDate, DateOnly onDate)
    {
        var age = onDate.Year - birthDate.Year;
        if (onDate < birthDate.AddYears(age))
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
