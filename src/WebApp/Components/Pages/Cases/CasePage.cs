using Kim.WebApp.Api;
using Kim.WebApp.Clients.CaseService;
using Kim.WebApp.Clients.CaseService.Api.Tenants.Item.Cases.Item;
using Kim.WebApp.Clients.CaseService.Models;
using Kim.WebApp.SignIn;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Kim.WebApp.Components.Pages.Cases;

/// <summary>
/// A page of one case beside the case file (journal, follow-ups, documents, client data, responsibility): it loads the
/// case, and runs its forms with post, redirect, get; a refusal stays with its form.
/// </summary>
public abstract class CasePage : ComponentBase
{
    [Parameter] public Guid Id { get; set; }

    [Inject] protected CaseServiceClient Api { get; set; } = default!;

    [Inject] protected CaseWorkGateway Gateway { get; set; } = default!;

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    protected CaseResponse? Case { get; private set; }

    protected Problem? LoadProblem { get; set; }

    protected Dictionary<string, Problem> Problems { get; } = [];

    protected CasesItemRequestBuilder CaseApi { get; private set; } = default!;

    /// <summary>The signed-in person's user id (the token's subject), as cases name the responsible and deputies.</summary>
    protected string? UserId { get; private set; }

    protected bool IsCoordinator { get; private set; }

    /// <summary>The path of this page below <c>/faelle/{id}</c>, where a successful action returns to.</summary>
    protected abstract string Path { get; }

    protected bool IsOpen => Case?.Status == CaseStatus.Open;

    protected Problem? ProblemOf(string form) => Problems.GetValueOrDefault(form);

    protected string? FieldError(string form, string field) => ProblemOf(form)?.Field(field);

    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication).User;
        UserId = user.FindFirst(Kim.ServiceDefaults.Security.KimClaims.Subject)?.Value;
        IsCoordinator = user.IsInRole(Kim.ServiceDefaults.Security.KimRoles.Coordinator);
        CaseApi = Api.Api.Tenants[user.Tenant()].Cases[Id];
        LoadProblem = await Problem.Of(async () => Case = await CaseApi.GetAsync());
        if (Case is not null)
        {
            LoadProblem = await Problem.Of(LoadAsync);
        }
    }

    /// <summary>What the page shows besides the case.</summary>
    protected abstract Task LoadAsync();

    /// <summary>
    /// Runs one action: success reloads the page, or goes to <paramref name="then"/> (so a reload never posts twice);
    /// a refusal stays with its form.
    /// </summary>
    protected async Task Act(string form, Func<Task> call, string? then = null)
    {
        if (Case is null)
        {
            return;
        }

        if (await Problem.Of(call) is { } problem)
        {
            Problems[form] = problem;
            return;
        }

        Navigation.NavigateTo(then ?? $"/faelle/{Id}{Path}");
    }
}
