using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Postgres
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
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<DateTime>(
                name: "TrialAt",
                table: "ImageVersions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TrialBootSeconds",
                table: "ImageVersions",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TrialConsole",
                table: "ImageVersions",
                type: "character varying(16000)",
                maxLength: 16000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TrialSentence",
                table: "ImageVersions",
                type: "character varying(2000)",
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
