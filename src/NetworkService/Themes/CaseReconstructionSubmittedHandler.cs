using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Themes;

/// <summary>Groups the barriers of anonymised case reconstructions by theme tag and life domain into generative themes.</summary>
public sealed class CaseReconstructionSubmittedHandler(NetworkDbContext db, TimeProvider clock, ILogger<CaseReconstructionSubmittedHandler> logger)
    : IdempotentConsumer<CaseReconstructionSubmitted, NetworkDbContext>(db, clock, logger)
{
    protected override async Task HandleAsync(CaseReconstructionSubmitted message, ConsumeContext<CaseReconstructionSubmitted> context)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var keys = message.Barriers
            .SelectMany(b => b.ThemeTags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => (Title: t.Trim(), Tag: GenerativeTheme.NormaliseTag(t), b.LifeDomain)))
            .DistinctBy(k => (k.Tag, k.LifeDomain))
            .ToList();
        var created = new List<GenerativeTheme>();
        var themeIds = new Dictionary<(string Tag, LifeDomain LifeDomain), Guid>();
        foreach (var key in keys)
        {
            var theme = await Db.Themes.SingleOrDefaultAsync(t => t.Tag == key.Tag && t.LifeDomain == key.LifeDomain, context.CancellationToken);
            if (theme is null)
            {
                theme = new GenerativeTheme
                {
                    Id = Guid.CreateVersion7(),
                    Title = key.Title.Length > 200 ? key.Title[..200] : key.Title,
                    Tag = key.Tag.Length > 100 ? key.Tag[..100] : key.Tag,
                    LifeDomain = key.LifeDomain,
                    Source = ThemeSource.Reconstructions,
                    Status = ThemeStatus.Proposed,
                    ProposedAt = now,
                };
                Db.Themes.Add(theme);
                created.Add(theme);
            }

            // A merged theme's tag is an alias: its barriers land in the theme it was merged into.
            for (var hops = 0; theme.MergedIntoId is { } target && hops < 10; hops++)
            {
                theme = await Db.Themes.SingleAsync(t => t.Id == target, context.CancellationToken);
            }

            themeIds[(key.Tag, key.LifeDomain)] = theme.Id;
        }

        foreach (var themeId in themeIds.Values.Distinct())
        {
            if (!await Db.ThemeEvidence.AnyAsync(e => e.ThemeId == themeId && e.ReconstructionId == message.ReconstructionId, context.CancellationToken))
            {
                Db.ThemeEvidence.Add(new ThemeEvidence
                {
                    ThemeId = themeId,
                    ReconstructionId = message.ReconstructionId,
                    TenantId = message.TenantId,
                    ReceivedAt = now,
                });
            }

            var barriers = message.Barriers
                .Where(b => b.ThemeTags.Any(t => !string.IsNullOrWhiteSpace(t)
                    && themeIds.GetValueOrDefault((GenerativeTheme.NormaliseTag(t), b.LifeDomain)) == themeId))
                .Distinct();
            foreach (var barrier in barriers)
            {
                var description = barrier.Description.Trim();
                Db.ThemeBarriers.Add(new ThemeBarrier
                {
                    ThemeId = themeId,
                    ReconstructionId = message.ReconstructionId,
                    TenantId = message.TenantId,
                    Description = description.Length > 2000 ? description[..2000] : description,
                    LegalDomain = barrier.LegalDomain,
                    ProviderOrganisationId = barrier.ProviderOrganisationId,
                    ServiceChainId = barrier.ServiceChainId,
                    ServiceChainVersion = barrier.ServiceChainVersion,
                    ChainStepOrder = barrier.ChainStepOrder,
                    ReceivedAt = now,
                });
            }
        }

        foreach (var theme in created)
        {
            Db.AddIntegrationEvent(new GenerativeThemeProposed
            {
                ThemeId = theme.Id,
                Title = theme.Title,
                LifeDomain = theme.LifeDomain,
                Source = ThemeSource.Reconstructions,
                Reconstructions = 1,
                Tenants = 1,
                OccurredAt = now,
            }, now);
        }
    }
}
