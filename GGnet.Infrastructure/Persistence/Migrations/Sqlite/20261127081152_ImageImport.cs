using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImageImport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SourceFormat",
                table: "ImageVersions",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SourcePath",
                table: "ImageVersions",
                type: "TEXT",
                maxLength: 4096,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SourceFormat",
                table: "ImageVersions");

            migrationBuilder.DropColumn(
                name: "SourcePath",
                table: "ImageVersions");
        }
    }
}
