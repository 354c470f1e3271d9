using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.ReportingService.Infrastructure.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OpenReferrals",
                columns: table => new
                {
                    Generation = table.Column<int>(type: "INTEGER", nullable: false),
                    ReferralId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CaseKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Step = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenReferrals", x => new { x.Generation, x.TenantId, x.CaseKey, x.ReferralId });
                });

            migrationBuilder.CreateTable(
                name: "ReadModelState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ActiveGeneration = table.Column<int>(type: "INTEGER", nullable: false),
                    RebuildGeneration = table.Column<int>(type: "INTEGER", nullable: true),
                    RebuildWatermark = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CursorTenant = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    CursorCaseKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RebuildVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    RebuildEventsDone = table.Column<bool>(type: "INTEGER", nullable: false),
                    RebuildCasesDone = table.Column<bool>(type: "INTEGER", nullable: false),
                    RebuildReplayed = table.Column<long>(type: "INTEGER", nullable: false),
                    LastRebuiltAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReadModelState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReportCounters",
                columns: table => new
                {
                    Generation = table.Column<int>(type: "INTEGER", nullable: false),
                    Report = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Dimension = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Bucket = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportCounters", x => new { x.Generation, x.Report, x.Dimension, x.Month, x.Bucket });
                });

            migrationBuilder.CreateTable(
                name: "TenantActivities",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    LastReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
            migrationBuilder.Sql("UPDATE \"StoredEvents\" SET \"CaseKey\" = json_extract(\"Payload\", '$.CaseKey') WHERE json_valid(\"Payload\") AND json_extract(\"Payload\", '$.TenantId') <> '' AND json_extract(\"Payload\", '$.CaseKey') <> '';");
            migrationBuilder.Sql("INSERT INTO \"TenantActivities\" (\"TenantId\", \"LastReceivedAt\") SELECT \"TenantId\", MAX(\"ReceivedAt\") FROM \"StoredEvents\" WHERE \"TenantId\" IS NOT NULL GROUP BY \"TenantId\";");
            migrationBuilder.Sql("INSERT INTO \"ReadModelState\" (\"Id\", \"Version\", \"ActiveGeneration\", \"RebuildEventsDone\", \"RebuildCasesDone\", \"RebuildReplayed\") SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM \"StoredEvents\") THEN 0 ELSE " + ReadModels.ReadModelState.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) + " END, 0, 0, 0, 0;");
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
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CaseKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AccessRoute = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AgeBand = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OpeningReceived = table.Column<bool>(type: "INTEGER", nullable: false),
                    Phase = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    ResidenceCategory = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseSnapshots", x => new { x.TenantId, x.CaseKey });
                });
        }
    }
}
