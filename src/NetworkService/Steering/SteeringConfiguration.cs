using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.Notifications;
using Kim.NetworkService.Organisations;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.NetworkService.Steering;

internal sealed class SteeringMemberConfiguration : IEntityTypeConfiguration<SteeringMember>
{
    public void Configure(EntityTypeBuilder<SteeringMember> member)
    {
        member.ToTable("SteeringMembers");
        member.HasKey(m => m.Id);
        member.Property(m => m.Id).ValueGeneratedNever();
        member.Property(m => m.Name).HasMaxLength(200);
        member.Property(m => m.UserId).HasMaxLength(200);
        member.Property(m => m.UserTenant).HasMaxLength(100);
        member.HasIndex(m => new { m.UserId, m.UserTenant }).IsUnique();
        member.Property(m => m.DeputyName).HasMaxLength(200);
        member.Property(m => m.DeputyUserId).HasMaxLength(200);
        member.Property(m => m.DeputyTenant).HasMaxLength(100);
        member.Property(m => m.Email).HasMaxLength(EmailAddress.MaxLength);
        member.Property(m => m.DeputyEmail).HasMaxLength(EmailAddress.MaxLength);
        member.Property(m => m.EndReason).HasConversion<string>().HasMaxLength(40);
        member.Property(m => m.EndNote).HasMaxLength(400);
        member.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SteeringSeatConfiguration : IEntityTypeConfiguration<SteeringSeat>
{
    public void Configure(EntityTypeBuilder<SteeringSeat> seat)
    {
        seat.ToTable("SteeringSeats");
        seat.HasKey(s => new { s.UserId, s.Tenant });
        seat.Property(s => s.UserId).HasMaxLength(200);
        seat.Property(s => s.Tenant).HasMaxLength(100);
        seat.HasOne<SteeringMember>().WithMany().HasForeignKey(s => s.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RulesOfProcedureConfiguration : IEntityTypeConfiguration<RulesOfProcedure>
{
    public void Configure(EntityTypeBuilder<RulesOfProcedure> rules)
    {
        rules.ToTable("RulesOfProcedure");
        rules.HasKey(r => r.Id);
        rules.Property(r => r.Id).ValueGeneratedNever();
        rules.HasIndex(r => r.Version).IsUnique();
        rules.Property(r => r.Majority).HasConversion<string>().HasMaxLength(20);
        rules.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        rules.Property(r => r.ResolutionNumber).HasMaxLength(20);
    }
}

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> meeting)
    {
        meeting.ToTable("Meetings");
        meeting.HasKey(m => m.Id);
        meeting.Property(m => m.Id).ValueGeneratedNever();
        meeting.Property(m => m.Title).HasMaxLength(200);
        meeting.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        meeting.Property(m => m.Agenda).HasJsonConversion();
        meeting.Property(m => m.Attendance).HasJsonConversion();
        meeting.Property(m => m.Minutes).HasMaxLength(20_000);
        meeting.Ignore(m => m.MinutesStatus);
        meeting.Property(m => m.MinutesVersion).IsConcurrencyToken();
        meeting.Property(m => m.MinutesApprovedAt).IsConcurrencyToken();
        meeting.Property(m => m.MinutesApprovedBy).HasMaxLength(200);
        meeting.Property(m => m.CancellationReason).HasMaxLength(400);
        meeting.HasIndex(m => m.ScheduledFor);
    }
}

internal sealed class MinutesVersionConfiguration : IEntityTypeConfiguration<MinutesVersion>
{
    public void Configure(EntityTypeBuilder<MinutesVersion> version)
    {
        version.ToTable("MinutesVersions");
        version.HasKey(v => new { v.MeetingId, v.Version });
        version.Property(v => v.Text).HasMaxLength(20_000);
        version.Property(v => v.RecordedBy).HasMaxLength(200);
        version.HasOne<Meeting>().WithMany().HasForeignKey(v => v.MeetingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MotionConfiguration : IEntityTypeConfiguration<Motion>
{
    public void Configure(EntityTypeBuilder<Motion> motion)
    {
        motion.ToTable("Motions");
        motion.HasKey(m => m.Id);
        motion.Property(m => m.Id).ValueGeneratedNever();
        motion.Property(m => m.Title).HasMaxLength(200);
        motion.Property(m => m.Text).HasMaxLength(4000);
        motion.Property(m => m.Kind).HasConversion<string>().HasMaxLength(40);
        motion.Property(m => m.ResultDecision).HasConversion<string>().HasMaxLength(20);
        motion.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        motion.Property(m => m.Procedure).HasConversion<string>().HasMaxLength(20);
        motion.Property(m => m.Majority).HasConversion<string>().HasMaxLength(20);
        motion.Property(m => m.CircularResult).HasConversion<string>().HasMaxLength(40);
        motion.Property(m => m.Implementation).HasConversion<string>().HasMaxLength(20);
        motion.Property(m => m.CircularEligibleMembers).HasJsonConversion();
        motion.Property(m => m.CircularObjection).HasMaxLength(400);
        motion.Property(m => m.Responsible).HasMaxLength(200);
        motion.Property(m => m.TabledBy).HasMaxLength(200);
        motion.Property(m => m.RegisterNumber).HasMaxLength(20);
        motion.HasIndex(m => m.RegisterNumber).IsUnique();
        motion.HasIndex(m => m.Status);
        motion.Property(m => m.Revision).IsConcurrencyToken();
    }
}

internal sealed class VoteConfiguration : IEntityTypeConfiguration<Vote>
{
    public void Configure(EntityTypeBuilder<Vote> vote)
    {
        vote.ToTable("Votes");
        vote.HasKey(v => v.Id);
        vote.Property(v => v.Id).ValueGeneratedNever();
        vote.Property(v => v.Choice).HasConversion<string>().HasMaxLength(20);
        vote.Property(v => v.RecordedBy).HasMaxLength(200);
        vote.HasIndex(v => new { v.MotionId, v.MemberId }).IsUnique();
        vote.HasOne<Motion>().WithMany().HasForeignKey(v => v.MotionId).OnDelete(DeleteBehavior.Cascade);
        vote.HasOne<SteeringMember>().WithMany().HasForeignKey(v => v.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
