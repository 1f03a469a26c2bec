using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OsTookOver : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "OsTookOverAt",
                table: "Sessions",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OsTookOverAt",
                table: "Sessions");
        }
    }
}
