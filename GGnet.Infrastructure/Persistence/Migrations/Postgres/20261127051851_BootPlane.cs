using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BootPlane : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NoSessionAction",
                table: "Machines",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Wait"); // existing machines keep waiting for a session, the default

            migrationBuilder.CreateTable(
                name: "BootEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MachineId = table.Column<int>(type: "integer", nullable: true),
                    MacAddress = table.Column<string>(type: "character varying(17)", maxLength: 17, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ClientAddress = table.Column<long>(type: "bigint", nullable: true),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BootEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BootEvents_Machines_MachineId",
                        column: x => x.MachineId,
                        principalTable: "Machines",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DiscoveredPcs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MacAddress = table.Column<string>(type: "character varying(17)", maxLength: 17, nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastIpAddress = table.Column<long>(type: "bigint", nullable: true),
                    Firmware = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    RequestCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DiscoveredPcs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BootEvents_MachineId_Id",
                table: "BootEvents",
                columns: new[] { "MachineId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DiscoveredPcs_MacAddress",
                table: "DiscoveredPcs",
                column: "MacAddress",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BootEvents");

            migrationBuilder.DropTable(
                name: "DiscoveredPcs");

            migrationBuilder.DropColumn(
                name: "NoSessionAction",
                table: "Machines");
        }
    }
}
