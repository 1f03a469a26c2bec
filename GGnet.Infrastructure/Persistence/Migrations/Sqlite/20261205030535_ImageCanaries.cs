using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImageCanaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "OsFirstTookOverAt",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CanaryGroupId",
                table: "Images",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CanarySince",
                table: "Images",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CanaryVersionId",
                table: "Images",
                type: "INTEGER",
                nullable: true);

            // What sessions already recorded: their OS's last take-over is the best known first one.
            migrationBuilder.Sql("UPDATE \"Sessions\" SET \"OsFirstTookOverAt\" = \"OsTookOverAt\" WHERE \"OsTookOverAt\" IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OsFirstTookOverAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "CanaryGroupId",
                table: "Images");

            migrationBuilder.DropColumn(
                name: "CanarySince",
                table: "Images");

            migrationBuilder.DropColumn(
                name: "CanaryVersionId",
                table: "Images");
        }
    }
}
