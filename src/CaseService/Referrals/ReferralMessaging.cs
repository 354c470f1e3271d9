using Kim.CaseService.Audit;
using Kim.CaseService.Cases;
using Kim.CaseService.Infrastructure;
using Kim.CaseService.Protection;
using Kim.CaseService.Tenancy;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Referrals;
using Kim.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Referrals;

/// <summary>
/// The receive endpoint of referrals between tenants: one queue per tenant, bound only to the tenant's own
/// exchange <c>kim.referrals.{tenant}</c>, which the broker lets only this tenant read.
/// </summary>
public static class ReferralMessaging
{
    public static string EndpointName(string tenant) => $"{ServiceDefaults.ResourceNames.CaseService(tenant)}-referrals";

    public static void AddReferralConsumers(this IBusRegistrationConfigurator bus, string tenant)
    {
        var endpoint = EndpointName(tenant);
        bus.AddConsumer<ReferralForwardedHandler>().Endpoint(e => e.Name = endpoint);
        bus.AddConsumer<ForwardedReferralStatusChangedHandler>().Endpoint(e => e.Name = endpoint);
        bus.AddConsumer<ReferralIdentitySharedHandler>().Endpoint(e => e.Name = endpoint);
        bus.AddConsumer<ForwardedReferralWithdrawnHandler>().Endpoint(e => e.Name = endpoint);
        bus.AddConfigureEndpointsCallback((_, name, configurator) =>
        {
            if (name == endpoint && configurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                // No binding to the message-type exchanges: those would carry every tenant's messages.
                rabbit.ConfigureConsumeTopology = false;
                rabbit.Bind(TenantMessage.ExchangeOf(tenant));
            }
        });
    }

    /// <summary>Only messages addressed to this tenant count; anything else is dropped (and logged) unapplied.</summary>
    internal static bool IsForUs(TenantMessage message, string tenant, ILogger logger)
    {
        if (message.TargetTenantId == tenant)
        {
            return true;
        }

        logger.LogWarning("Referral message {MessageId} for tenant {Target} arrived at {Tenant}; ignored", message.MessageId, message.TargetTenantId, tenant);
        return false;
    }
}

/// <summary>Messages with personal data (<see cref="IPersonalDataMessage"/>) stay in the outbox only until the broker has them.</summary>
public sealed class PersonalDataOutboxErasure : IOutboxPayloadErasure
{
    public bool ErasesOnceSent(Type messageType) => typeof(IPersonalDataMessage).IsAssignableFrom(messageType);
}

/// <summary>The provider side: a referral from another tenant arrives, without identity.</summary>
public sealed class ReferralForwardedHandler(CaseDbContext db, TimeProvider clock, IOptions<TenantOptions> tenant, ILogger<ReferralForwardedHandler> logger)
    : IdempotentConsumer<ReferralForwarded, CaseDbContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ReferralForwarded message, ConsumeContext<ReferralForwarded> context)
    {
        if (!ReferralMessaging.IsForUs(message, tenant.Value.Id, logger)
            || await Db.IncomingReferrals.AnyAsync(r => r.Id == message.ReferralId, context.CancellationToken))
        {
            return;
        }

        Db.IncomingReferrals.Add(new IncomingReferral
        {
            Id = message.ReferralId,
            SourceTenantId = message.SourceTenantId,
            SourceCaseKey = message.CaseKey,
            PlanItemTitle = message.PlanItemTitle,
            LifeDomain = message.LifeDomain,
            LegalDomain = message.LegalDomain,
            TargetDays = message.TargetDays,
            IdentityCovered = message.IdentityCovered,
            ReceivedAt = Clock.GetUtcNow().UtcDateTime,
        });
    }
}

/// <summary>The provider side: the identity arrives after acceptance, and is stored encrypted with this tenant's key.</summary>
public sealed class ReferralIdentitySharedHandler(
    CaseDbContext db, TimeProvider clock, IOptions<TenantOptions> tenant, IdentityProtector protector, ILogger<ReferralIdentitySharedHandler> logger)
    : IdempotentConsumer<ReferralIdentityShared, CaseDbContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ReferralIdentityShared message, ConsumeContext<ReferralIdentityShared> context)
    {
        var incoming = await Db.IncomingReferrals.SingleOrDefaultAsync(r => r.Id == message.ReferralId, context.CancellationToken);
        if (!ReferralMessaging.IsForUs(message, tenant.Value.Id, logger) || incoming is null || incoming.SourceTenantId != message.SourceTenantId
            || incoming.ConsentWithdrawnAt is not null || incoming.Status is ReferralStatus.Rejected or ReferralStatus.Cancelled)
        {
            return;
        }

        var identity = new ClientIdentity(message.GivenName, message.FamilyName, message.BirthDate, message.Phone, message.Email, message.Address);
        incoming.ProtectedIdentity = protector.Protect(incoming.Id, identity);
        Db.Audit(AuditEntry.BySystem(tenant.Value.Id, "referral.identity-received", "incoming-referral", incoming.Id.ToString(), AuditPurposes.Referral, Clock.GetUtcNow().UtcDateTime));
    }
}

/// <summary>The provider side: the referring tenant cancelled, or the consent was withdrawn; the identity is erased.</summary>
public sealed class ForwardedReferralWithdrawnHandler(CaseDbContext db, TimeProvider clock, IOptions<TenantOptions> tenant, ILogger<ForwardedReferralWithdrawnHandler> logger)
    : IdempotentConsumer<ForwardedReferralWithdrawn, CaseDbContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ForwardedReferralWithdrawn message, ConsumeContext<ForwardedReferralWithdrawn> context)
    {
        var incoming = await Db.IncomingReferrals.SingleOrDefaultAsync(r => r.Id == message.ReferralId, context.CancellationToken);
        if (!ReferralMessaging.IsForUs(message, tenant.Value.Id, logger) || incoming is null || incoming.SourceTenantId != message.SourceTenantId)
        {
            return;
        }

        var now = Clock.GetUtcNow().UtcDateTime;
        incoming.ProtectedIdentity = null;
        incoming.IdentityCovered = false;
        if (message.ConsentWithdrawn)
        {
            incoming.ConsentWithdrawnAt = now;
        }
        else if (incoming.Status is not (ReferralStatus.Completed or ReferralStatus.Rejected))
        {
            incoming.Status = ReferralStatus.Cancelled;
            incoming.Reason = message.Reason;
            incoming.StatusChangedAt = now;
        }

        Db.Audit(AuditEntry.BySystem(tenant.Value.Id, message.ConsentWithdrawn ? "referral.identity-erased" : "referral.cancelled-by-source",
            "incoming-referral", incoming.Id.ToString(), AuditPurposes.Referral, now));
    }
}

/// <summary>
/// The referring side: the provider tenant answered. The status is applied and published; on acceptance, and only
/// while a consent covers it, the identity is sent to the provider.
/// </summary>
public sealed class ForwardedReferralStatusChangedHandler(
    CaseDbContext db, TimeProvider clock, IOptions<TenantOptions> tenant, IdentityProtector protector, ILogger<ForwardedReferralStatusChangedHandler> logger)
    : IdempotentConsumer<ForwardedReferralStatusChanged, CaseDbContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ForwardedReferralStatusChanged message, ConsumeContext<ForwardedReferralStatusChanged> context)
    {
        var referral = await Db.Referrals.SingleOrDefaultAsync(r => r.Id == message.ReferralId, context.CancellationToken);
        if (!ReferralMessaging.IsForUs(message, tenant.Value.Id, logger) || referral is null || referral.ProviderTenantId != message.SourceTenantId)
        {
            return;
        }

        if (message.Sequence is { } sequence && sequence <= referral.StatusSequence)
        {
            // A duplicate, or a message overtaken by a newer one that was applied already: it changes nothing.
            logger.LogInformation("Referral {ReferralId}: status message {Sequence} ({Status}) is not newer than {Applied}; nothing to apply",
                referral.Id, sequence, message.Status, referral.StatusSequence);
            return;
        }

        var steps = ReferralRules.ProviderSteps(referral.Status, message.Status);
        if (steps.Count == 0)
        {
            // Cancelled here while the provider answered: the cancellation stands and has been sent to the provider.
            // Without a sequence (older senders) also a message overtaken by a later status.
            logger.LogWarning("Referral {ReferralId}: provider status {Status} (message {Sequence}) cannot follow {Current}; not applied",
                referral.Id, message.Status, message.Sequence, referral.Status);
            return;
        }

        var now = Clock.GetUtcNow().UtcDateTime;
        var @case = await Db.Cases.Include(c => c.Client).Include(c => c.Consents).SingleAsync(c => c.Id == referral.CaseId, context.CancellationToken);

        // A change of the case like any other: if someone changed it meanwhile (e.g. cancelled this referral), the
        // save fails on the version and the message is handled again on the new state.
        @case.Version++;
        foreach (var step in steps)
        {
            // Steps whose own message is late take their time from this message; without one the time stays unknown.
            DateTime? at = step == message.Status ? message.OccurredAt
                : step == ReferralStatus.Accepted ? message.AcceptedAt
                : step == ReferralStatus.Started ? message.StartedAt
                : null;
            if (at is not { } stepAt)
            {
                referral.Status = step;
                continue;
            }

            ReferralRules.Apply(referral, step, stepAt, message.Reason, message.Successful, message.FailureReason);
            Db.AddIntegrationEvent(new ReferralStatusChanged
            {
                TenantId = tenant.Value.Id,
                CaseKey = @case.CaseKey,
                ReferralId = referral.Id,
                Status = step,
                Reason = step == message.Status ? referral.Reason : null,
                Successful = step == message.Status ? referral.Successful : null,
                FailureReason = step == message.Status ? referral.FailureReason : null,
                OccurredAt = stepAt,
            }, now);
        }

        referral.AcceptedAt ??= message.AcceptedAt;
        referral.StartedAt ??= message.StartedAt;
        referral.StatusSequence = message.Sequence ?? referral.StatusSequence;

        var today = LocalDay.Of(now);
        if (steps.Contains(ReferralStatus.Accepted) && referral.Status is ReferralStatus.Accepted or ReferralStatus.Started
            && referral.SharesPersonalData && referral.ConsentWithdrawnAt is null
            && ReferralRules.CanShareIdentity(@case.Consents, referral.ProviderOrganisationId, referral.ProviderType, today) is null
            && @case.Client.ProtectedIdentity is { } protectedIdentity)
        {
            var identity = ReferralRules.IdentityForProvider(protector.Unprotect(@case.Client.Id, protectedIdentity));
            Db.AddTenantMessage(new ReferralIdentityShared
            {
                ReferralId = referral.Id,
                GivenName = identity.GivenName,
                FamilyName = identity.FamilyName,
                BirthDate = identity.BirthDate,
                Phone = identity.Phone,
                Email = identity.Email,
                Address = identity.Address,
                SourceTenantId = tenant.Value.Id,
                TargetTenantId = referral.ProviderTenantId!,
                OccurredAt = now,
            }, now);
            Db.Audit(AuditEntry.BySystem(tenant.Value.Id, "referral.identity-shared", "referral", referral.Id.ToString(), AuditPurposes.Referral, now));
        }
    }
}
