using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SteeringSeats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SteeringSeats",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Tenant = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AsDeputy = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SteeringSeats", x => new { x.UserId, x.Tenant });
                    table.ForeignKey(
                        name: "FK_SteeringSeats_SteeringMembers_MemberId",
                        column: x => x.MemberId,
                        principalTable: "SteeringMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SteeringSeats_MemberId",
                table: "SteeringSeats",
                column: "MemberId");

            // The people already seated: members with a known tenant, then deputies (a person seated twice keeps the first seat).
            migrationBuilder.Sql(
                "INSERT OR IGNORE INTO SteeringSeats (UserId, Tenant, MemberId, AsDeputy) "
                + "SELECT UserId, UserTenant, Id, 0 FROM SteeringMembers WHERE UserTenant <> '';");
            migrationBuilder.Sql(
                "INSERT OR IGNORE INTO SteeringSeats (UserId, Tenant, MemberId, AsDeputy) "
                + "SELECT DeputyUserId, DeputyTenant, Id, 1 FROM SteeringMembers WHERE DeputyUserId IS NOT NULL AND DeputyTenant IS NOT NULL ORDER BY JoinedAt;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SteeringSeats");
        }
    }
}
