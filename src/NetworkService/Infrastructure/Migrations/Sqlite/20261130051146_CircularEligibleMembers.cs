using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CircularEligibleMembers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CircularEligibleMembers",
                table: "Motions",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            // Ballots running at the upgrade: the voting members of now are the best record of who was eligible at their start.
            migrationBuilder.Sql(
                """
                UPDATE "Motions" SET "CircularEligibleMembers" =
                    (SELECT json_group_array(lower("Id")) FROM "SteeringMembers" WHERE "HasVotingRight" = 1)
                WHERE "Status" = 'CircularBallot';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CircularEligibleMembers",
                table: "Motions");
        }
    }
}
