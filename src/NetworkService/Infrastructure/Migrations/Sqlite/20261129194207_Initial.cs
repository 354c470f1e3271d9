using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    User = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "GenerativeThemes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Tag = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LifeDomain = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    WorkingGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AssignedByResolution = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ProposedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GenerativeThemes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InboxMessages",
                columns: table => new
                {
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Consumer = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboxMessages", x => new { x.MessageId, x.Consumer });
                });

            migrationBuilder.CreateTable(
                name: "Meetings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ScheduledFor = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Agenda = table.Column<string>(type: "TEXT", nullable: false),
                    Attendance = table.Column<string>(type: "TEXT", nullable: false),
                    Minutes = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    HeldAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    VotingMembers = table.Column<int>(type: "INTEGER", nullable: false),
                    VotingMembersPresent = table.Column<int>(type: "INTEGER", nullable: false),
                    Quorate = table.Column<bool>(type: "INTEGER", nullable: false),
                    CancellationReason = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Meetings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Motions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TargetWorkingGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ResultDecision = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    IsBinding = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Procedure = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    MeetingId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CircularDeadline = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CircularEligible = table.Column<int>(type: "INTEGER", nullable: false),
                    CircularParticipationPercent = table.Column<int>(type: "INTEGER", nullable: false),
                    Majority = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    CircularObjectedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CircularObjection = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    CircularResult = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    RegisterNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Yes = table.Column<int>(type: "INTEGER", nullable: false),
                    No = table.Column<int>(type: "INTEGER", nullable: false),
                    Abstentions = table.Column<int>(type: "INTEGER", nullable: false),
                    Implementation = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Responsible = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    TabledBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TabledAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Motions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Organisations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LegalDomains = table.Column<string>(type: "TEXT", nullable: false),
                    Contacts = table.Column<string>(type: "TEXT", nullable: false),
                    RegisteredAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Organisations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OutboxMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageType = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    TraceParent = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RulesOfProcedure",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    QuorumPercent = table.Column<int>(type: "INTEGER", nullable: false),
                    Majority = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CircularAllowed = table.Column<bool>(type: "INTEGER", nullable: false),
                    CircularDeadlineDays = table.Column<int>(type: "INTEGER", nullable: false),
                    CircularParticipationPercent = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ResolutionNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    InForceSince = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RulesOfProcedure", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ServiceChains",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChainId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LifeDomain = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    WorkingGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Steps = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ResolutionNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceChains", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WorkingGroups",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Objective = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    SpecialRequirements = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Composition = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    WorkingForm = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ExpectedResultFormat = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ThemeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ResolutionNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Members = table.Column<string>(type: "TEXT", nullable: false),
                    Sessions = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkingGroups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ThemeEvidence",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ThemeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReconstructionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ThemeEvidence", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ThemeEvidence_GenerativeThemes_ThemeId",
                        column: x => x.ThemeId,
                        principalTable: "GenerativeThemes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Agreements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PartnerOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerKind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PartnerTenantId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Fte = table.Column<decimal>(type: "TEXT", precision: 6, scale: 2, nullable: false),
                    SupervisionArrangement = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    UsesCommonInstruments = table.Column<bool>(type: "INTEGER", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SignedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SignedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Agreements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Agreements_Organisations_PartnerOrganisationId",
                        column: x => x.PartnerOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ServiceOffers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LegalDomain = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    LifeDomain = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AccessConditions = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceOffers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServiceOffers_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SteeringMembers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    HasVotingRight = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeputyName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DeputyUserId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    JoinedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SteeringMembers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SteeringMembers_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "GoalSystems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkingGroupId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ThemeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Tree = table.Column<string>(type: "TEXT", nullable: false),
                    SourcesOfVerification = table.Column<string>(type: "TEXT", nullable: false),
                    CriticalAssumptions = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ResolutionNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GoalSystems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GoalSystems_WorkingGroups_WorkingGroupId",
                        column: x => x.WorkingGroupId,
                        principalTable: "WorkingGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "WorkingGroupResults",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkingGroupId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ResolutionNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    SubmittedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkingGroupResults", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkingGroupResults_WorkingGroups_WorkingGroupId",
                        column: x => x.WorkingGroupId,
                        principalTable: "WorkingGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Votes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MotionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Choice = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ByDeputy = table.Column<bool>(type: "INTEGER", nullable: false),
                    CastAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Votes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Votes_Motions_MotionId",
                        column: x => x.MotionId,
                        principalTable: "Motions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Votes_SteeringMembers_MemberId",
                        column: x => x.MemberId,
                        principalTable: "SteeringMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Agreements_PartnerOrganisationId",
                table: "Agreements",
                column: "PartnerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_SubjectId",
                table: "AuditEntries",
                column: "SubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_GenerativeThemes_Tag_LifeDomain",
                table: "GenerativeThemes",
                columns: new[] { "Tag", "LifeDomain" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GoalSystems_WorkingGroupId_Version",
                table: "GoalSystems",
                columns: new[] { "WorkingGroupId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_ScheduledFor",
                table: "Meetings",
                column: "ScheduledFor");

            migrationBuilder.CreateIndex(
                name: "IX_Motions_RegisterNumber",
                table: "Motions",
                column: "RegisterNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Motions_Status",
                table: "Motions",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_Name",
                table: "Organisations",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_SentAt_CreatedAt",
                table: "OutboxMessages",
                columns: new[] { "SentAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RulesOfProcedure_Version",
                table: "RulesOfProcedure",
                column: "Version",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ServiceChains_ChainId_Version",
                table: "ServiceChains",
                columns: new[] { "ChainId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ServiceOffers_LegalDomain_LifeDomain",
                table: "ServiceOffers",
                columns: new[] { "LegalDomain", "LifeDomain" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceOffers_OrganisationId",
                table: "ServiceOffers",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_SteeringMembers_OrganisationId",
                table: "SteeringMembers",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_SteeringMembers_UserId",
                table: "SteeringMembers",
                column: "UserId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ThemeEvidence_ThemeId_ReconstructionId",
                table: "ThemeEvidence",
                columns: new[] { "ThemeId", "ReconstructionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Votes_MemberId",
                table: "Votes",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_Votes_MotionId_MemberId",
                table: "Votes",
                columns: new[] { "MotionId", "MemberId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkingGroupResults_WorkingGroupId",
                table: "WorkingGroupResults",
                column: "WorkingGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkingGroups_Name",
                table: "WorkingGroups",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Agreements");

            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "GoalSystems");

            migrationBuilder.DropTable(
                name: "InboxMessages");

            migrationBuilder.DropTable(
                name: "Meetings");

            migrationBuilder.DropTable(
                name: "OutboxMessages");

            migrationBuilder.DropTable(
                name: "RulesOfProcedure");

            migrationBuilder.DropTable(
                name: "ServiceChains");

            migrationBuilder.DropTable(
                name: "ServiceOffers");

            migrationBuilder.DropTable(
                name: "ThemeEvidence");

            migrationBuilder.DropTable(
                name: "Votes");

            migrationBuilder.DropTable(
                name: "WorkingGroupResults");

            migrationBuilder.DropTable(
                name: "GenerativeThemes");

            migrationBuilder.DropTable(
                name: "Motions");

            migrationBuilder.DropTable(
                name: "SteeringMembers");

            migrationBuilder.DropTable(
                name: "WorkingGroups");

            migrationBuilder.DropTable(
                name: "Organisations");
        }
    }
}
