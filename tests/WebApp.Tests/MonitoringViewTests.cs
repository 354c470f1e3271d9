using Kim.WebApp.Components.Pages.Monitoring;
using NetworkModels = Kim.WebApp.Clients.Network.Models;
using ReportModels = Kim.WebApp.Clients.Reporting.Models;

namespace Kim.WebApp.Tests;

/// <summary>What the monitoring page compares by default, and how a comparison reads.</summary>
public sealed class MonitoringViewTests
{
    private static readonly Guid Housing = Guid.NewGuid();
    private static readonly Guid Work = Guid.NewGuid();

    private static NetworkModels.ServiceChainResponse Chain(Guid id, string title, int version, NetworkModels.ServiceChainStatus status) =>
        new() { ChainId = id, Title = title, Version = version, Status = status, Steps = [] };

    private static MonitoringView View(IReadOnlyList<ReportModels.ChainStepHandover> bottlenecks, params NetworkModels.ServiceChainResponse[] chains) =>
        new(new ReportModels.Dashboard { Bottlenecks = [.. bottlenecks] }, new ReportModels.ReferralAnalysis { Steps = [.. bottlenecks] }, chains, []);

    [Fact]
    public void The_default_comparison_is_the_bottleneck_chains_latest_version_against_the_one_before()
    {
        NetworkModels.ServiceChainResponse[] chains =
        [
            Chain(Work, "Arbeit", 1, NetworkModels.ServiceChainStatus.Superseded), Chain(Work, "Arbeit", 2, NetworkModels.ServiceChainStatus.Adopted),
            Chain(Housing, "Wohnen", 1, NetworkModels.ServiceChainStatus.Superseded), Chain(Housing, "Wohnen", 2, NetworkModels.ServiceChainStatus.Superseded),
            Chain(Housing, "Wohnen", 3, NetworkModels.ServiceChainStatus.Adopted), Chain(Housing, "Wohnen", 4, NetworkModels.ServiceChainStatus.Draft),
        ];
        var housingStalls = new ReportModels.ChainStepHandover { ChainId = Housing, Version = 3, Step = 2, BottleneckScore = 1 };

        Assert.Equal((Housing, 2, 3), View([housingStalls], chains).DefaultComparison());
        Assert.Equal(2, View([], chains).ComparableChains.Count);
        Assert.Null(View([housingStalls], Chain(Housing, "Wohnen", 1, NetworkModels.ServiceChainStatus.Adopted)).DefaultComparison());
    }

    [Fact]
    public void A_comparison_reads_as_versions_and_months_with_signed_changes()
    {
        Assert.Equal("Version 1", MonitoringTexts.Side(new ReportModels.HandoverSide { Version = 1 }));
        Assert.Equal("Version 2, ab 07.2026", MonitoringTexts.Side(new ReportModels.HandoverSide { Version = 2, From = "2026-07" }));
        Assert.Equal("01.2026 bis 06.2026", MonitoringTexts.Side(new ReportModels.HandoverSide { From = "2026-01", To = "2026-06" }));
        Assert.Equal("alle Vermittlungen", MonitoringTexts.Side(new ReportModels.HandoverSide()));
        Assert.Equal("−27,0", MonitoringTexts.Change(-27));
        Assert.Equal("+1,5", MonitoringTexts.Change(1.5));
        Assert.Equal("−50 Prozentpunkte", MonitoringTexts.ChangeOfShare(-0.5));
        Assert.Equal(MonitoringTexts.MedianNotReached, MonitoringTexts.Median(new ReportModels.ChainStepHandover { Waiting = 3 }));
        Assert.Equal("4,0", MonitoringTexts.Median(new ReportModels.ChainStepHandover { MedianDays = 4, Waiting = 3 }));
    }

    [Theory]
    [InlineData("", null, false)]
    [InlineData(" 2 ", 2, false)]
    [InlineData("0", null, true)]
    [InlineData("1.5", null, true)]
    [InlineData("-1", null, true)]
    [InlineData("99999999999", null, true)]
    public void A_version_typed_into_the_form_is_a_whole_number_from_1_or_refused(string text, int? version, bool invalid)
    {
        Assert.Equal((version, invalid), MonitoringView.Version(text));
    }
}
