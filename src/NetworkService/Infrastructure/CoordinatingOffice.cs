using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Kim.NetworkService.Infrastructure;

/// <summary>
/// The caller is a coordinator of a tenant that keeps the network's records: the coordinating office or a tenant it
/// delegated to (<see cref="NetworkOptions.CoordinatingTenant"/>, <see cref="NetworkOptions.DelegatedTenants"/>).
/// A token with no tenant, or with more than one, keeps nothing.
/// </summary>
public sealed class CoordinatingOfficeRequirement : IAuthorizationRequirement;

internal sealed class CoordinatingOfficeHandler(IOptionsMonitor<NetworkOptions> options) : AuthorizationHandler<CoordinatingOfficeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CoordinatingOfficeRequirement requirement)
    {
        if (NetworkKeepers.IsKeeper(context.User, options.CurrentValue.CoordinatingTenant, options.CurrentValue.DelegatedTenants))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
