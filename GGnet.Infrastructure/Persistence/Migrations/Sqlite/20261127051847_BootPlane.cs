using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Wait"); // existing machines keep waiting for a session, the default

            migrationBuilder.CreateTable(
                name: "BootEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MachineId = table.Column<int>(type: "INTEGER", nullable: true),
                    MacAddress = table.Column<string>(type: "TEXT", maxLength: 17, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ClientAddress = table.Column<long>(type: "INTEGER", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MacAddress = table.Column<string>(type: "TEXT", maxLength: 17, nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastIpAddress = table.Column<long>(type: "INTEGER", nullable: true),
                    Firmware = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    RequestCount = table.Column<int>(type: "INTEGER", nullable: false)
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
