using System.Globalization;
using System.Text.Json.Nodes;
using Kim.Bench;
using Kim.ReportingService.State;

namespace Kim.DomainBench;

/// <summary>
/// Submissions of the state survey (<see cref="StateSubmissions"/>, the same documents the state benchmark stores),
/// parsed from their JSON text as the state API loads them from its store.
/// </summary>
public static class SurveyAnswers
{
    /// <summary>The five survey years.</summary>
    public static readonly string[] Periods = ["2022", "2023", "2024", "2025", "2026"];

    /// <summary>Submissions of <paramref name="municipalities"/> municipalities for one period, seeded per period and size.</summary>
    public static List<Answers> For(string period, int municipalities)
    {
        var random = new Random((int.Parse(period, CultureInfo.InvariantCulture) * 1_000) + municipalities);
        var step = Array.IndexOf(Periods, period);
        return [.. StateSubmissions.Municipalities(municipalities).Select(municipality => new Answers(
            municipality.Id, municipality.Kind, JsonNode.Parse(StateSubmissions.Submission(municipality, period, step, random).ToJsonString())!))];
    }
}
