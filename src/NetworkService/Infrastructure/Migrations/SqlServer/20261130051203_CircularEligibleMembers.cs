using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.SqlServer
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
                type: "nvarchar(max)",
                nullable: false,
                defaultValue: "[]");

            // Ballots running at the upgrade: the voting members of now are the best record of who was eligible at their start.
            migrationBuilder.Sql(
                """
                UPDATE [Motions] SET [CircularEligibleMembers] = COALESCE(
                    (SELECT N'[' + STRING_AGG(CONVERT(nvarchar(max), N'"' + LOWER(CONVERT(nvarchar(36), [Id])) + N'"'), N',') + N']'
                     FROM [SteeringMembers] WHERE [HasVotingRight] = CAST(1 AS bit)),
                    N'[]')
                WHERE [Status] = N'CircularBallot';
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
