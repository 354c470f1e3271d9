using Kim.WebApp.Clients.Network.Models;
using Kim.WebApp.Components.Pages.Cases;

namespace Kim.WebApp.Components.Pages.Planning;

/// <summary>A theme's new title as typed.</summary>
public sealed class RenameThemeForm
{
    public string? Title { get; set; }

    public RenameThemeRequest ToRequest() => new() { Title = Title };
}

/// <summary>The theme a duplicate is merged into, as chosen.</summary>
public sealed class MergeThemeForm
{
    public string? TargetThemeId { get; set; }

    public MergeThemeRequest ToRequest() => new() { TargetThemeId = Guid.TryParse(TargetThemeId, out var id) ? id : null };
}

/// <summary>An actual value of an indicator as typed.</summary>
public sealed class IndicatorValueForm
{
    public string? IndicatorId { get; set; }

    public string? Value { get; set; }

    public string? MeasuredOn { get; set; }

    public string? Source { get; set; }

    public RecordIndicatorValueRequest ToRequest() => new()
    {
        Value = PlanningTexts.ParseNumber(Value),
        MeasuredOn = FormValues.Date(MeasuredOn),
        Source = Source,
    };
}

/// <summary>How the progress of an indicator reads: the share of the way from baseline to target.</summary>
public static class ProgressTexts
{
    public static string Of(double? progress) => progress is { } p
        ? $"{(p * 100).ToString("0", Texts.German)} % des Wegs zum Zielwert"
        : "–";
}
