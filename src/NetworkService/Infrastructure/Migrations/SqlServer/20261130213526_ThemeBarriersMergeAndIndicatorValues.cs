using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ThemeBarriersMergeAndIndicatorValues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoId",
                table: "GenerativeThemes",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "GenerativeThemes",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "IndicatorValues",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    GoalSystemId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    IndicatorId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Value = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    MeasuredOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Source = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IndicatorValues", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IndicatorValues_GoalSystems_GoalSystemId",
                        column: x => x.GoalSystemId,
                        principalTable: "GoalSystems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ThemeBarriers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ThemeId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ReconstructionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    LegalDomain = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    ProviderOrganisationId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    ServiceChainId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    ServiceChainVersion = table.Column<int>(type: "int", nullable: true),
                    ChainStepOrder = table.Column<int>(type: "int", nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ThemeBarriers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ThemeBarriers_GenerativeThemes_ThemeId",
                        column: x => x.ThemeId,
                        principalTable: "GenerativeThemes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IndicatorValues_GoalSystemId_IndicatorId_MeasuredOn",
                table: "IndicatorValues",
                columns: new[] { "GoalSystemId", "IndicatorId", "MeasuredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_ThemeBarriers_ThemeId",
                table: "ThemeBarriers",
                column: "ThemeId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IndicatorValues");

            migrationBuilder.DropTable(
                name: "ThemeBarriers");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "GenerativeThemes");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "GenerativeThemes");
        }
    }
}
