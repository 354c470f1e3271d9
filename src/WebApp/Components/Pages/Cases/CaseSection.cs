using Kim.WebApp.Api;
using Kim.WebApp.Clients.CaseService;
using Kim.WebApp.Clients.CaseService.Api.Tenants.Item.Cases.Item;
using Kim.WebApp.Clients.CaseService.Models;
using Kim.WebApp.SignIn;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using NetworkModels = Kim.WebApp.Clients.Network.Models;

namespace Kim.WebApp.Components.Pages.Cases;

/// <summary>A section of the case file with its own forms: it acts on the case and reports refusals at its form.</summary>
public abstract class CaseSection : ComponentBase
{
    [Parameter, EditorRequired] public CaseResponse Case { get; set; } = default!;

    /// <summary>The refusals of this request, by form name (shared by every section of the page).</summary>
    [Parameter, EditorRequired] public Dictionary<string, Problem> Problems { get; set; } = default!;

    [Inject] private CaseServiceClient Api { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    protected bool IsOpen => Case.Status == CaseStatus.Open;

    protected Problem? ProblemOf(string form) => Problems.GetValueOrDefault(form);

    protected string? FieldError(string form, string field) => ProblemOf(form)?.Field(field);

    /// <summary>
    /// Runs one action on the case. Success reloads the case file at <paramref name="section"/> (so reloading never posts
    /// twice); a refusal stays with its form, whose values are shown again as typed.
    /// </summary>
    protected async Task Act(string form, string section, Func<CasesItemRequestBuilder, Task> call)
    {
        var tenant = (await Authentication).User.Tenant();
        var api = Api.Api.Tenants[tenant].Cases[Case.Id!.Value];
        if (await Problem.Of(() => call(api)) is { } problem)
        {
            Problems[form] = problem;
            return;
        }

        Navigation.NavigateTo($"/faelle/{Case.Id}#{section}");
    }

    protected static IEnumerable<(string, string)> OrganisationOptions(IEnumerable<NetworkModels.OrganisationResponse> organisations) =>
        organisations.Select(o => (o.Id.ToString()!, o.Name ?? ""));

    protected IEnumerable<(string, string)> GoalOptions() =>
        (Case.Goals ?? []).Select(g => (g.Id.ToString()!, $"{Texts.Of(g.LifeDomain)}: {g.Description}"));
}
