using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.CaseService.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImportReference : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ImportReference",
                table: "Cases",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ImportReference",
                table: "Cases",
                column: "ImportReference",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_ImportReference",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ImportReference",
                table: "Cases");
        }
    }
}
