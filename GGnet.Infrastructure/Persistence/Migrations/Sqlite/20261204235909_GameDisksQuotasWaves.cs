using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GameDisksQuotasWaves : Migration
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

            migrationBuilder.AddColumn<long>(
                name: "OwnBytes",
                table: "Sessions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OwnBytesAt",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SpaceLowAt",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SystemCopyVersionId",
                table: "Sessions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WaveSeconds",
                table: "Schedules",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WaveSize",
                table: "Schedules",
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

            migrationBuilder.AddColumn<long>(
                name: "SessionQuotaBytes",
                table: "Images",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DataImageVersionIds",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "OwnBytes",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "OwnBytesAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "SpaceLowAt",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "SystemCopyVersionId",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "WaveSeconds",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "WaveSize",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "DataImageIds",
                table: "Machines");

            migrationBuilder.DropColumn(
                name: "DataImageIds",
                table: "MachineGroups");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Images");

            migrationBuilder.DropColumn(
                name: "SessionQuotaBytes",
                table: "Images");
        }
    }
}
