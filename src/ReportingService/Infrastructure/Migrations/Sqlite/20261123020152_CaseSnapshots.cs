using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.ReportingService.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TenantCaseCounts");

            migrationBuilder.CreateTable(
                name: "CaseSnapshots",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CaseKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Phase = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    AgeBand = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    ResidenceCategory = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AccessRoute = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OpeningReceived = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseSnapshots", x => new { x.TenantId, x.CaseKey });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaseSnapshots");

            migrationBuilder.CreateTable(
                name: "TenantCaseCounts",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OpenCases = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenantCaseCounts", x => x.TenantId);
                });
        }
    }
}
