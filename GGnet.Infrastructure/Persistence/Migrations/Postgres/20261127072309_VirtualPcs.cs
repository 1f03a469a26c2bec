using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VirtualPcs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsVirtual",
                table: "Machines",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IsVirtual",
                table: "Machines");
        }
    }
}
