using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.ReportingService.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ReadModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaseSnapshots");

            migrationBuilder.AddColumn<string>(
                name: "CaseKey",
                table: "StoredEvents",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OpenReferrals",
                columns: table => new
                {
                    Generation = table.Column<int>(type: "int", nullable: false),
                    ReferralId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CaseKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Step = table.Column<string>(type: "nvarchar(60)", maxLength: 60, nullable: true),
                    DueAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenReferrals", x => new { x.Generation, x.TenantId, x.CaseKey, x.ReferralId });
                });

            migrationBuilder.CreateTable(
                name: "ReadModelState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false),
                    ActiveGeneration = table.Column<int>(type: "int", nullable: false),
                    RebuildGeneration = table.Column<int>(type: "int", nullable: true),
                    RebuildWatermark = table.Column<DateTime>(type: "datetime2", nullable: true),
                    CursorTenant = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    CursorCaseKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    RebuildVersion = table.Column<int>(type: "int", nullable: true),
                    RebuildEventsDone = table.Column<bool>(type: "bit", nullable: false),
                    RebuildCasesDone = table.Column<bool>(type: "bit", nullable: false),
                    RebuildReplayed = table.Column<long>(type: "bigint", nullable: false),
                    LastRebuiltAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReadModelState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReportCounters",
                columns: table => new
                {
                    Generation = table.Column<int>(type: "int", nullable: false),
                    Report = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Dimension = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Month = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    Bucket = table.Column<int>(type: "int", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportCounters", x => new { x.Generation, x.Report, x.Dimension, x.Month, x.Bucket });
                });

            migrationBuilder.CreateTable(
                name: "TenantActivities",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    LastReceivedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenantActivities", x => x.TenantId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StoredEvents_ReceivedAt",
                table: "StoredEvents",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_StoredEvents_TenantId_CaseKey",
                table: "StoredEvents",
                columns: new[] { "TenantId", "CaseKey" });

            // Stored case events name their case; the tenants' last arrivals are known; the read model's state says whether
            // there is history to rebuild (the first start then builds the counters from the event store).
            migrationBuilder.Sql("UPDATE [StoredEvents] SET [CaseKey] = JSON_VALUE([Payload], '$.CaseKey') WHERE ISJSON([Payload]) = 1 AND JSON_VALUE([Payload], '$.TenantId') <> '' AND JSON_VALUE([Payload], '$.CaseKey') <> '';");
            migrationBuilder.Sql("INSERT INTO [TenantActivities] ([TenantId], [LastReceivedAt]) SELECT [TenantId], MAX([ReceivedAt]) FROM [StoredEvents] WHERE [TenantId] IS NOT NULL GROUP BY [TenantId];");
            migrationBuilder.Sql("INSERT INTO [ReadModelState] ([Id], [Version], [ActiveGeneration], [RebuildEventsDone], [RebuildCasesDone], [RebuildReplayed]) SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM [StoredEvents]) THEN 0 ELSE " + ReadModels.ReadModelState.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) + " END, 0, 0, 0, 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OpenReferrals");

            migrationBuilder.DropTable(
                name: "ReadModelState");

            migrationBuilder.DropTable(
                name: "ReportCounters");

            migrationBuilder.DropTable(
                name: "TenantActivities");

            migrationBuilder.DropIndex(
                name: "IX_StoredEvents_ReceivedAt",
                table: "StoredEvents");

            migrationBuilder.DropIndex(
                name: "IX_StoredEvents_TenantId_CaseKey",
                table: "StoredEvents");

            migrationBuilder.DropColumn(
                name: "CaseKey",
                table: "StoredEvents");

            migrationBuilder.CreateTable(
                name: "CaseSnapshots",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CaseKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    AccessRoute = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    AgeBand = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    EndedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastChangedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    OpeningReceived = table.Column<bool>(type: "bit", nullable: false),
                    Phase = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    ResidenceCategory = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseSnapshots", x => new { x.TenantId, x.CaseKey });
                });
        }
    }
}
