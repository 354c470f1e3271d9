using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.CaseService.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CheapReads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_IncomingReferrals_ReceivedAt",
                table: "IncomingReferrals",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_OpenedAt",
                table: "Cases",
                columns: new[] { "Status", "OpenedAt", "Id", "AssignedTo", "Phase" },
                descending: new[] { false, true, false, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ResourceId_Sequence",
                table: "AuditEntries",
                columns: new[] { "ResourceId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_User_Sequence",
                table: "AuditEntries",
                columns: new[] { "User", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IncomingReferrals_ReceivedAt",
                table: "IncomingReferrals");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Status_OpenedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_ResourceId_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_User_Sequence",
                table: "AuditEntries");
        }
    }
}
