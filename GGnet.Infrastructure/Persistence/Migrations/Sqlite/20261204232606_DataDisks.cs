using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DataDisks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DataImageVersionIds",
                table: "Sessions",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<int>(
                name: "SystemCopyVersionId",
                table: "Sessions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DataImageIds",
                table: "Machines",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "DataImageIds",
                table: "MachineGroups",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Images",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "System");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DataImageVersionIds",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "SystemCopyVersionId",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "DataImageIds",
                table: "Machines");

            migrationBuilder.DropColumn(
                name: "DataImageIds",
                table: "MachineGroups");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Images");
        }
    }
}
