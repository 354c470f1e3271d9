using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SteeringMemberTenant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SteeringMembers_UserId",
                table: "SteeringMembers");

            migrationBuilder.AddColumn<string>(
                name: "DeputyTenant",
                table: "SteeringMembers",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UserTenant",
                table: "SteeringMembers",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_SteeringMembers_UserId_UserTenant",
                table: "SteeringMembers",
                columns: new[] { "UserId", "UserTenant" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SteeringMembers_UserId_UserTenant",
                table: "SteeringMembers");

            migrationBuilder.DropColumn(
                name: "DeputyTenant",
                table: "SteeringMembers");

            migrationBuilder.DropColumn(
                name: "UserTenant",
                table: "SteeringMembers");

            migrationBuilder.CreateIndex(
                name: "IX_SteeringMembers_UserId",
                table: "SteeringMembers",
                column: "UserId",
                unique: true);
        }
    }
}
