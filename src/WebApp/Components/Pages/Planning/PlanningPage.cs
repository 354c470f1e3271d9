using Kim.WebApp.Clients.Network.Models;

namespace Kim.WebApp.Components.Pages.Planning;

/// <summary>
/// A planning page (loading, forms and organisations as every <see cref="NetworkPage"/>): it offers the registry's
/// organisations as choices and lays motions before the steering group.
/// </summary>
public abstract class PlanningPage : NetworkPage
{
    protected IEnumerable<(string Value, string Text)> OrganisationOptions(Func<OrganisationResponse, bool>? which = null) =>
        Organisations.Values.Where(which ?? (_ => true)).OrderBy(o => o.Name, StringComparer.CurrentCulture)
            .Select(o => (o.Id!.Value.ToString(), $"{o.Name} ({PlanningTexts.Of(o.Type)})"));

    /// <summary>Lays a motion before the steering group (it decides in a meeting or by circular resolution).</summary>
    protected Task TableAsync(MotionKind kind, Guid subject, string title, string? text = null, ResultDecision? decision = null) =>
        Api.Api.Network.Steering.Motions.PostAsync(new TableMotionRequest
        {
            Kind = kind,
            SubjectId = subject,
            Title = title,
            Text = text,
            ResultDecision = decision,
            IsBinding = true,
        });

    /// <summary>The motions about one subject (e.g. a working group's mandate).</summary>
    protected async Task<List<MotionResponse>> MotionsAboutAsync(Guid subject) =>
        (await Api.Api.Network.Steering.Motions.GetAsync() ?? []).Where(m => m.SubjectId == subject).ToList();
}
