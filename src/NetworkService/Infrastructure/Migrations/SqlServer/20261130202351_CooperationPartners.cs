using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kim.NetworkService.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CooperationPartners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PartnerType",
                table: "Agreements",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            // Agreements drafted before keep their partner's registry type.
            migrationBuilder.Sql(
                """
                UPDATE [Agreements] SET [PartnerType] =
                    (SELECT [Type] FROM [Organisations] WHERE [Organisations].[Id] = [Agreements].[PartnerOrganisationId]);
                """);

            migrationBuilder.AlterColumn<string>(
                name: "PartnerTenantId",
                table: "Agreements",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "PartnerKind",
                table: "Agreements",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(20)",
                oldMaxLength: 20);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PartnerType",
                table: "Agreements");

            migrationBuilder.AlterColumn<string>(
                name: "PartnerTenantId",
                table: "Agreements",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "PartnerKind",
                table: "Agreements",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "nvarchar(20)",
                oldMaxLength: 20,
                oldNullable: true);
        }
    }
}
