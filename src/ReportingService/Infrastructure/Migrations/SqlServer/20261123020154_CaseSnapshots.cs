using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.ReportingService.Infrastructure.Migrations.SqlServer
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
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CaseKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Phase = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    AgeBand = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    ResidenceCategory = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    AccessRoute = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    OpeningReceived = table.Column<bool>(type: "bit", nullable: false),
                    LastChangedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "datetime2", nullable: true)
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
                    TenantId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    OpenCases = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenantCaseCounts", x => x.TenantId);
                });
        }
    }
}
