using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Chap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ChapMutual",
                table: "Targets",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Chap",
                table: "Machines",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProtectedChapSecret",
                table: "Machines",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProtectedMutualChapSecret",
                table: "Machines",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ChapMutual",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Chap",
                table: "Machines");

            migrationBuilder.DropColumn(
                name: "ProtectedChapSecret",
                table: "Machines");

            migrationBuilder.DropColumn(
                name: "ProtectedMutualChapSecret",
                table: "Machines");
        }
    }
}
