using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "GenerativeThemes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "IndicatorValues",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    GoalSystemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    IndicatorId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Value = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    MeasuredOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ThemeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReconstructionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    LegalDomain = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ProviderOrganisationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ServiceChainId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ServiceChainVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    ChainStepOrder = table.Column<int>(type: "INTEGER", nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
