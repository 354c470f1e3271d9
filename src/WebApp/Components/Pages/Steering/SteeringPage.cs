using Kim.ServiceDefaults.Security;
using Kim.WebApp.Api;
using Kim.WebApp.Clients.Network.Api.Network.Steering;
using Kim.WebApp.Clients.Network.Models;
using Microsoft.AspNetCore.Components;

namespace Kim.WebApp.Components.Pages.Steering;

/// <summary>
/// A page of the steering group (loading, forms and organisations as every <see cref="NetworkPage"/>) that knows who is
/// signed in: a coordinator of the coordinating office manages, a member votes for themselves.
/// </summary>
public abstract class SteeringPage : NetworkPage
{
    [Inject] private CaseWorkGateway Identity { get; set; } = default!;

    protected SteeringRequestBuilder Steering => Api.Api.Network.Steering;

    /// <summary>The signed-in person's user id (the token's subject): with the tenant, the member a circular vote is counted for.</summary>
    protected string? UserId { get; private set; }

    /// <summary>The tenant the person signed in at: the same user id of another tenant is another person.</summary>
    protected string? UserTenant { get; private set; }

    /// <summary>
    /// A coordinator who keeps the steering group's records (of the coordinating office or a delegated tenant): offered
    /// the forms that record members, plan, table and record votes. A carrier's coordinator only reads.
    /// </summary>
    protected bool IsCoordinator { get; private set; }

    /// <summary>Members recorded before tenants were kept: they do not vote until a coordinator adds the tenant.</summary>
    protected static bool WithoutTenant(SteeringMemberResponse member) => string.IsNullOrEmpty(member.UserTenant);

    /// <summary>The current members: those whose membership has not ended.</summary>
    protected List<SteeringMemberResponse> Members { get; private set; } = [];

    /// <summary>Every member recorded, also those whose membership ended: for the history, old meetings and votes.</summary>
    protected List<SteeringMemberResponse> AllMembers { get; private set; } = [];

    /// <summary>Members whose membership has ended (listed in the history only).</summary>
    protected IEnumerable<SteeringMemberResponse> EndedMembers => AllMembers.Where(m => !Members.Any(c => c.Id == m.Id));

    protected bool HasEnded(SteeringMemberResponse member) => !Members.Any(c => c.Id == member.Id);

    /// <summary>The names of the registry's organisations, by id.</summary>
    protected Dictionary<Guid, string> OrganisationNames { get; private set; } = [];

    /// <summary>For the office's coordinators: the people who can be chosen as members and deputies.</summary>
    protected IReadOnlyList<SteeringPerson> People { get; private set; } = [];

    protected IEnumerable<(string Value, string Text)> PeopleOptions => People.Select(p => (p.Id, p.Label));

    /// <summary>The member the signed-in person is, if any.</summary>
    protected SteeringMemberResponse? Me => Members.FirstOrDefault(m => m.UserId == UserId && m.UserTenant == UserTenant);

    /// <summary>The member whose deputy the signed-in person is, if any.</summary>
    protected SteeringMemberResponse? Represented => Members.FirstOrDefault(m => m.DeputyUserId == UserId && m.DeputyTenant == UserTenant);

    /// <summary>The tenant of a person chosen from <see cref="People"/> by user id (none when not chosen or not listed).</summary>
    protected string? TenantOf(string? userId) => userId is null ? null : People.FirstOrDefault(p => p.Id == userId)?.Tenant;

    protected string MemberName(Guid? id) => AllMembers.FirstOrDefault(m => m.Id == id)?.Name ?? "–";

    protected string OrganisationOf(SteeringMemberResponse member) => OrganisationName(member.OrganisationId);

    /// <summary>Loads the members, the organisations and (for coordinators) the people, then what the page shows besides.</summary>
    protected override async Task OnInitializedAsync()
    {
        var user = await IdentifyAsync();
        UserId = user.FindFirst(KimClaims.Subject)?.Value;
        UserTenant = KimClaims.SingleTenant(user);
        IsCoordinator = KeepsRecords;
        LoadProblem = await Problem.Of(async () =>
        {
            Members = await Steering.Members.GetAsync() ?? [];
            AllMembers = await Steering.Members.GetAsync(r => r.QueryParameters.IncludeEnded = true) ?? [];
            await LoadOrganisationsAsync();
            OrganisationNames = Organisations.ToDictionary(o => o.Key, o => o.Value.Name ?? "–");
            People = IsCoordinator ? await Identity.SteeringPeopleAsync() : [];
            await LoadAsync();
        });
    }
}
