using Kim.WebApp.Api;
using Kim.WebApp.Clients.Network;
using Kim.WebApp.Clients.Network.Models;
using Microsoft.AspNetCore.Components;

namespace Kim.WebApp.Components.Pages.Planning;

/// <summary>
/// A planning page: loads what it shows from the NetworkService and runs its forms with post, redirect, get; a refusal
/// stays with its form (shown at the field and as an alert), with everything typed kept.
/// </summary>
public abstract class PlanningPage : ComponentBase
{
    [Inject] protected NetworkClient Api { get; set; } = default!;

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    protected Problem? LoadProblem { get; set; }

    protected Dictionary<string, Problem> Problems { get; } = [];

    /// <summary>The organisations of the network registry, by id.</summary>
    protected Dictionary<Guid, OrganisationResponse> Organisations { get; private set; } = [];

    /// <summary>Where a successful action returns to.</summary>
    protected abstract string Path { get; }

    protected Problem? ProblemOf(string form) => Problems.GetValueOrDefault(form);

    protected string? FieldError(string form, string field) => ProblemOf(form)?.Field(field);

    protected override async Task OnInitializedAsync() => LoadProblem = await Problem.Of(LoadAsync);

    protected abstract Task LoadAsync();

    protected async Task LoadOrganisationsAsync() =>
        Organisations = (await Api.Api.Network.Organisations.GetAsync() ?? []).Where(o => o.Id is not null).ToDictionary(o => o.Id!.Value);

    protected string OrganisationName(Guid? id) => id is { } i && Organisations.TryGetValue(i, out var o) ? o.Name ?? "–" : "–";

    protected IEnumerable<(string Value, string Text)> OrganisationOptions(Func<OrganisationResponse, bool>? which = null) =>
        Organisations.Values.Where(which ?? (_ => true)).OrderBy(o => o.Name, StringComparer.CurrentCulture)
            .Select(o => (o.Id!.Value.ToString(), $"{o.Name} ({PlanningTexts.Of(o.Type)})"));

    /// <summary>Runs one action: success goes to <paramref name="then"/> or reloads this page; a refusal stays with its form.</summary>
    protected async Task Act(string form, Func<Task> call, string? then = null)
    {
        if (await Problem.Of(call) is { } problem)
        {
            Problems[form] = problem;
            return;
        }

        Navigation.NavigateTo(then ?? Path);
    }

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
