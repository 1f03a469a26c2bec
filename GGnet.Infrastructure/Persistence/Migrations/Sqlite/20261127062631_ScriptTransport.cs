using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScriptTransport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ScriptTransport",
                table: "Machines",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Http"); // existing machines keep HTTP with TFTP fallback, the default
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ScriptTransport",
                table: "Machines");
        }
    }
}
