using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CandidateTestBoots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Trial",
                table: "ImageVersions",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<DateTime>(
                name: "TrialAt",
                table: "ImageVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TrialBootSeconds",
                table: "ImageVersions",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TrialConsole",
                table: "ImageVersions",
                type: "TEXT",
                maxLength: 16000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TrialSentence",
                table: "ImageVersions",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Trial",
                table: "ImageVersions");

            migrationBuilder.DropColumn(
                name: "TrialAt",
                table: "ImageVersions");

            migrationBuilder.DropColumn(
                name: "TrialBootSeconds",
                table: "ImageVersions");

            migrationBuilder.DropColumn(
                name: "TrialConsole",
                table: "ImageVersions");

            migrationBuilder.DropColumn(
                name: "TrialSentence",
                table: "ImageVersions");
        }
    }
}
