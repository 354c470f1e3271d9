using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.SqlServer
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
                    UserId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Tenant = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    MemberId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AsDeputy = table.Column<bool>(type: "bit", nullable: false)
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
                "INSERT INTO SteeringSeats (UserId, Tenant, MemberId, AsDeputy) "
                + "SELECT UserId, UserTenant, Id, 0 FROM SteeringMembers WHERE UserTenant <> '';");
            migrationBuilder.Sql(
                "INSERT INTO SteeringSeats (UserId, Tenant, MemberId, AsDeputy) "
                + "SELECT d.DeputyUserId, d.DeputyTenant, d.Id, 1 FROM ("
                + "SELECT DeputyUserId, DeputyTenant, Id, ROW_NUMBER() OVER (PARTITION BY DeputyUserId, DeputyTenant ORDER BY JoinedAt) AS Nr "
                + "FROM SteeringMembers WHERE DeputyUserId IS NOT NULL AND DeputyTenant IS NOT NULL) d "
                + "WHERE d.Nr = 1 AND NOT EXISTS (SELECT 1 FROM SteeringSeats s WHERE s.UserId = d.DeputyUserId AND s.Tenant = d.DeputyTenant);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SteeringSeats");
        }
    }
}
