using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RealOsBoot : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Lun",
                table: "Targets",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            // Targets made before the LUN was recorded: tgt put the disk on LUN 1, LIO on LUN 0.
            migrationBuilder.Sql("UPDATE \"Targets\" SET \"Lun\" = 0 WHERE \"Backend\" = 'Lio'");

            migrationBuilder.AddColumn<DateTime>(
                name: "OsTookOverAt",
                table: "Sessions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "FirmwareOnly",
                table: "Images",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Lun",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "OsTookOverAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "FirmwareOnly",
                table: "Images");
        }
    }
}
