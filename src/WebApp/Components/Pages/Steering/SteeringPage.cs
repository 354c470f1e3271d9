using Kim.ServiceDefaults.Security;
using Kim.WebApp.Api;
using Kim.WebApp.Clients.Network;
using Kim.WebApp.Clients.Network.Api.Network.Steering;
using Kim.WebApp.Clients.Network.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Kim.WebApp.Components.Pages.Steering;

/// <summary>
/// A page of the steering group: it loads what it shows, runs its forms with post, redirect, get (a refusal stays with its
/// form, what was typed stays in it), and knows who is signed in: a coordinator manages, a member votes for themselves.
/// </summary>
public abstract class SteeringPage : ComponentBase
{
    [Inject] protected NetworkClient Api { get; set; } = default!;

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    [Inject] private CaseWorkGateway Identity { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    protected SteeringRequestBuilder Steering => Api.Api.Network.Steering;

    /// <summary>The signed-in person's user id (the token's subject): the member a circular vote is counted for.</summary>
    protected string? UserId { get; private set; }

    protected bool IsCoordinator { get; private set; }

    protected Problem? LoadProblem { get; set; }

    protected Dictionary<string, Problem> Problems { get; } = [];

    protected List<SteeringMemberResponse> Members { get; private set; } = [];

    protected Dictionary<Guid, string> OrganisationNames { get; private set; } = [];

    /// <summary>For the office's coordinators: the people who can be chosen as members and deputies.</summary>
    protected IReadOnlyList<SteeringPerson> People { get; private set; } = [];

    protected IEnumerable<(string Value, string Text)> PeopleOptions => People.Select(p => (p.Id, p.Label));

    /// <summary>The address a successful action returns to.</summary>
    protected abstract string Address { get; }

    protected Problem? ProblemOf(string form) => Problems.GetValueOrDefault(form);

    protected string? FieldError(string form, string field) => ProblemOf(form)?.Field(field);

    /// <summary>The member the signed-in person is, if any.</summary>
    protected SteeringMemberResponse? Me => Members.FirstOrDefault(m => m.UserId == UserId);

    protected string MemberName(Guid? id) => Members.FirstOrDefault(m => m.Id == id)?.Name ?? "–";

    protected string OrganisationOf(SteeringMemberResponse member) =>
        member.OrganisationId is { } id ? OrganisationNames.GetValueOrDefault(id, "–") : "–";

    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication).User;
        UserId = user.FindFirst(KimClaims.Subject)?.Value;
        IsCoordinator = user.IsInRole(KimRoles.Coordinator);
        LoadProblem = await Problem.Of(async () =>
        {
            Members = await Steering.Members.GetAsync() ?? [];
            OrganisationNames = (await Api.Api.Network.Organisations.GetAsync() ?? [])
                .Where(o => o.Id is not null).ToDictionary(o => o.Id!.Value, o => o.Name ?? "–");
            People = IsCoordinator ? await Identity.SteeringPeopleAsync() : [];
            await LoadAsync();
        });
    }

    /// <summary>What the page shows besides the members.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Runs one action: success goes to <paramref name="then"/> (or reloads the page); a refusal stays with its form.</summary>
    protected async Task Act(string form, Func<Task> call, string? then = null)
    {
        if (await Problem.Of(call) is { } problem)
        {
            Problems[form] = problem;
            return;
        }

        Navigation.NavigateTo(then ?? Address);
    }

    /// <summary>Runs one action whose answer names where to go next (e.g. the meeting just planned).</summary>
    protected async Task Act(string form, Func<Task<string>> call)
    {
        var next = Address;
        if (await Problem.Of(async () => next = await call()) is { } problem)
        {
            Problems[form] = problem;
            return;
        }

        Navigation.NavigateTo(next);
    }
}
