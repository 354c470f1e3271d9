using Kim.WebApp.Components.Pages.Planning;

namespace Kim.WebApp.Tests;

/// <summary>The view logic of the theme and goal-system pages: forms to requests, and how progress reads.</summary>
public sealed class ThemeAndIndicatorFormTests
{
    [Fact]
    public void An_actual_value_is_read_with_a_decimal_comma_and_a_German_date()
    {
        var request = new IndicatorValueForm { IndicatorId = "f1-1", Value = "12,5", MeasuredOn = "2026-03-31", Source = "Statistik Jobcenter 03/2026" }.ToRequest();
        Assert.Equal(12.5, request.Value);
        Assert.Equal(new DateTime(2026, 3, 31), request.MeasuredOn?.DateTime);
        Assert.Equal("Statistik Jobcenter 03/2026", request.Source);
    }

    [Fact]
    public void Progress_reads_as_the_share_of_the_way_to_the_target()
    {
        Assert.Equal("50 % des Wegs zum Zielwert", ProgressTexts.Of(0.5));
        Assert.Equal("-25 % des Wegs zum Zielwert", ProgressTexts.Of(-0.25));
        Assert.Equal("–", ProgressTexts.Of(null));
    }

    [Fact]
    public void A_merge_without_a_chosen_theme_sends_no_target_so_the_service_refuses_it()
    {
        Assert.Null(new MergeThemeForm { TargetThemeId = "" }.ToRequest().TargetThemeId);
        var id = Guid.NewGuid();
        Assert.Equal(id, new MergeThemeForm { TargetThemeId = id.ToString() }.ToRequest().TargetThemeId);
        Assert.Equal("Wohnraum", new RenameThemeForm { Title = "Wohnraum" }.ToRequest().Title);
    }
}
