using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SteeringMembershipEnd : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EndNote",
                table: "SteeringMembers",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EndReason",
                table: "SteeringMembers",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "EndedOn",
                table: "SteeringMembers",
                type: "date",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EndNote",
                table: "SteeringMembers");

            migrationBuilder.DropColumn(
                name: "EndReason",
                table: "SteeringMembers");

            migrationBuilder.DropColumn(
                name: "EndedOn",
                table: "SteeringMembers");
        }
    }
}
