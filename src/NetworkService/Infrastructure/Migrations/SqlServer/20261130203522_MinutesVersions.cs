using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.SqlServer
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
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MinutesApprovedBy",
                table: "Meetings",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "MinutesApprovedInMeetingId",
                table: "Meetings",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MinutesVersion",
                table: "Meetings",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "MinutesVersions",
                columns: table => new
                {
                    MeetingId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false),
                    Text = table.Column<string>(type: "nvarchar(max)", maxLength: 20000, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    RecordedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false)
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
                INSERT INTO [MinutesVersions] ([MeetingId], [Version], [Text], [RecordedAt], [RecordedBy])
                SELECT [Id], 1, [Minutes], COALESCE([HeldAt], [ScheduledFor]), N'' FROM [Meetings] WHERE [Minutes] IS NOT NULL AND [Minutes] <> N'';
                UPDATE [Meetings] SET [MinutesVersion] = 1 WHERE [Minutes] IS NOT NULL AND [Minutes] <> N'';
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
