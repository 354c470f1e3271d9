using System.Security.Claims;
using Kim.WebApp.Api;
using Kim.WebApp.Clients.Network;
using Kim.WebApp.Clients.Network.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Kim.WebApp.Components.Pages;

/// <summary>
/// A page about the network (steering group, working groups, planning): it loads what it shows from the NetworkService and
/// runs its forms with post, redirect, get; a refusal stays with its form (shown at the field and as an alert), with
/// everything typed kept.
/// </summary>
public abstract class NetworkPage : ComponentBase
{
    [Inject] protected NetworkClient Api { get; set; } = default!;

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    [Inject] private IOptions<WebAppOptions> Options { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> SignedIn { get; set; } = default!;

    /// <summary>Why the page could not load what it shows (null when it could).</summary>
    protected Problem? LoadProblem { get; set; }

    /// <summary>The refusal of each form, by the form's name.</summary>
    protected Dictionary<string, Problem> Problems { get; } = [];

    /// <summary>The organisations of the network registry, by id (after <see cref="LoadOrganisationsAsync"/>).</summary>
    protected Dictionary<Guid, OrganisationResponse> Organisations { get; private set; } = [];

    /// <summary>The address a successful action returns to.</summary>
    protected abstract string Address { get; }

    /// <summary>Whether what the address names does not exist (the NetworkService answered 404).</summary>
    protected bool IsMissing => LoadProblem?.Status == 404;

    protected Problem? ProblemOf(string form) => Problems.GetValueOrDefault(form);

    protected string? FieldError(string form, string field) => ProblemOf(form)?.Field(field);

    /// <summary>
    /// Whether the signed-in person keeps the network's records (a coordinator of the coordinating office or of a tenant
    /// it delegated to, see <see cref="WebAppOptions.KeepsNetwork"/>): only they are offered the forms that register,
    /// plan, table and record; other coordinators would be refused (after <see cref="IdentifyAsync"/>).
    /// </summary>
    protected bool KeepsRecords { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        await IdentifyAsync();
        LoadProblem = await Problem.Of(LoadAsync);
    }

    /// <summary>The signed-in person; sets <see cref="KeepsRecords"/>.</summary>
    protected async Task<ClaimsPrincipal> IdentifyAsync()
    {
        var user = (await SignedIn).User;
        KeepsRecords = Options.Value.KeepsNetwork(user);
        return user;
    }

    /// <summary>Loads what the page shows; a refusal of the API becomes <see cref="LoadProblem"/>.</summary>
    protected abstract Task LoadAsync();

    protected async Task LoadOrganisationsAsync() =>
        Organisations = (await Api.Api.Network.Organisations.GetAsync() ?? []).Where(o => o.Id is not null).ToDictionary(o => o.Id!.Value);

    protected string OrganisationName(Guid? id) => id is { } i && Organisations.TryGetValue(i, out var o) ? o.Name ?? "–" : "–";

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
