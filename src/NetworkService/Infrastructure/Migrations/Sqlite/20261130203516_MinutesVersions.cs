using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MinutesVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "MinutesApprovedAt",
                table: "Meetings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MinutesApprovedBy",
                table: "Meetings",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "MinutesApprovedInMeetingId",
                table: "Meetings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MinutesVersion",
                table: "Meetings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "MinutesVersions",
                columns: table => new
                {
                    MeetingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MinutesVersions", x => new { x.MeetingId, x.Version });
                    table.ForeignKey(
                        name: "FK_MinutesVersions_Meetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Minutes recorded before versions were kept become their first version (recorder unknown).
            migrationBuilder.Sql(
                """
                INSERT INTO "MinutesVersions" ("MeetingId", "Version", "Text", "RecordedAt", "RecordedBy")
                SELECT "Id", 1, "Minutes", COALESCE("HeldAt", "ScheduledFor"), '' FROM "Meetings" WHERE "Minutes" IS NOT NULL AND "Minutes" <> '';
                UPDATE "Meetings" SET "MinutesVersion" = 1 WHERE "Minutes" IS NOT NULL AND "Minutes" <> '';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MinutesVersions");

            migrationBuilder.DropColumn(
                name: "MinutesApprovedAt",
                table: "Meetings");

            migrationBuilder.DropColumn(
                name: "MinutesApprovedBy",
                table: "Meetings");

            migrationBuilder.DropColumn(
                name: "MinutesApprovedInMeetingId",
                table: "Meetings");

            migrationBuilder.DropColumn(
                name: "MinutesVersion",
                table: "Meetings");
        }
    }
}
