using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GGnet.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BootEventsByAddress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_BootEvents_ClientAddress_Id",
                table: "BootEvents",
                columns: new[] { "ClientAddress", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BootEvents_ClientAddress_Id",
                table: "BootEvents");
        }
    }
}
