using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GameDisksQuotasWaves : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int[]>(
                name: "DataImageVersionIds",
                table: "Sessions",
                type: "integer[]",
                nullable: false,
                defaultValue: new int[0]);

            migrationBuilder.AddColumn<long>(
                name: "OwnBytes",
                table: "Sessions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OwnBytesAt",
                table: "Sessions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SpaceLowAt",
                table: "Sessions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SystemCopyVersionId",
                table: "Sessions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WaveSeconds",
                table: "Schedules",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WaveSize",
                table: "Schedules",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int[]>(
                name: "DataImageIds",
                table: "Machines",
                type: "integer[]",
                nullable: false,
                defaultValue: new int[0]);

            migrationBuilder.AddColumn<int[]>(
                name: "DataImageIds",
                table: "MachineGroups",
                type: "integer[]",
                nullable: false,
                defaultValue: new int[0]);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Images",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "System");

            migrationBuilder.AddColumn<long>(
                name: "SessionQuotaBytes",
                table: "Images",
                type: "bigint",
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
