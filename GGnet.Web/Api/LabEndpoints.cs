using GGnet.Core.Lab;
using GGnet.Core.Ports;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

public static class LabEndpoints
{
    /// <param name="Accelerator">How virtual PCs run: kvm or tcg; null until the lab has found out.</param>
    /// <param name="Warnings">What GGnet noticed about running virtual PCs (a console silent for long), by machine id.</param>
    public sealed record LabDto(bool Enabled, bool Running, string Sentence, int MaxVirtualPcs, IReadOnlyCollection<int> PoweredOn,
        string? Accelerator, IReadOnlyDictionary<int, string> Warnings);

    /// <param name="Image"><c>demo</c> (default) or <c>realos</c>.</param>
    /// <param name="Firmware"><c>bios</c> (default) or <c>uefi</c>: the firmware of the virtual PCs this call adds.</param>
    public sealed record BootInput(int Count = 3, string? Image = null, string? Firmware = null)
    {
        public LabBootRequest Parse()
        {
            var errors = new Dictionary<string, string[]>();
            LabImage image = LabImage.Demo;
            if (Image is not (null or "demo"))
            {
                if (Image == "realos")
                {
                    image = LabImage.RealOs;
                }
                else
                {
                    errors["image"] = [$"'{Image}' is not a lab image; use demo or realos."];
                }
            }
            var firmware = GGnet.Core.Domain.Machines.Firmware.Bios;
            if (Firmware is not null && !Enum.TryParse(Firmware, ignoreCase: true, out firmware))
            {
                errors["firmware"] = [$"'{Firmware}' is not a firmware; use bios or uefi."];
            }
            return errors.Count > 0 ? throw new GGnet.Core.Errors.InvalidInputException(errors) : new LabBootRequest(Count, image, firmware);
        }
    }

    public sealed record ModeInput(bool Lab);

    public static void MapLabEndpoints(this RouteGroupBuilder api)
    {
        var lab = api.MapGroup("/lab").WithTags("Lab");

        lab.MapGet("/", (ILab lab, IVirtualPcs pcs) =>
        {
            var status = lab.Status;
            var poweredOn = pcs.PoweredOn;
            var warnings = poweredOn.Select(id => (Id: id, Warning: pcs.WarningFor(id))).Where(pc => pc.Warning is not null).ToDictionary(pc => pc.Id, pc => pc.Warning!);
            return new LabDto(status.Enabled, status.Running, status.Sentence, status.MaxVirtualPcs, poweredOn, status.Accelerator, warnings);
        })
            .WithSummary("Lab mode: whether its private network is up, and which virtual PCs are running.");

        lab.MapPost("/virtual-pcs", async (AddVirtualPc add, HttpContext context, CancellationToken cancellationToken) =>
        {
            var machine = await add.ExecuteAsync(context.Actor(), GGnet.Core.Domain.Machines.Firmware.Bios, cancellationToken);
            return Results.Created($"/api/v1/machines/{machine.Id}", MachineDto.From(machine));
        }).RequireAuthorization(Policies.CanOperate).WithSummary("Add a virtual PC (a machine with a generated MAC address).");

        lab.MapPost("/boot", async (BootInput input, BootVirtualPcs boot, HttpContext context, CancellationToken cancellationToken) =>
            Results.Accepted("/api/v1/lab", new { machineIds = await boot.ExecuteAsync(input.Parse(), context.Actor(), cancellationToken) }))
            .RequireAuthorization(Policies.CanOperate)
            .WithSummary("Boot N virtual PCs on a lab image (demo, or realos: built from Debian packages at its first use): " +
                "adds PCs as needed, starts their sessions, powers them on.");

        var machines = api.MapGroup("/machines").WithTags("Lab");
        machines.MapPost("/{id:int}/power-on", async (int id, PowerOnVirtualPc powerOn, HttpContext context, CancellationToken cancellationToken) =>
            MachineDto.From(await powerOn.ExecuteAsync(id, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.CanOperate).WithSummary("Power a virtual PC on.");
        machines.MapPost("/{id:int}/power-off", async (int id, PowerOffVirtualPc powerOff, HttpContext context, CancellationToken cancellationToken) =>
            MachineDto.From(await powerOff.ExecuteAsync(id, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.CanOperate).WithSummary("Power a virtual PC off (pulls the plug).");
        machines.MapGet("/{id:int}/console", async (int id, IVirtualPcs pcs, CancellationToken cancellationToken) =>
            Results.Text(await pcs.ReadConsoleAsync(id, cancellationToken), "text/plain; charset=utf-8"))
            .WithSummary("The end of a virtual PC's serial console, as plain text.");

        api.MapPut("/settings/mode", async (ModeInput input, ChooseMode choose, HttpContext context, CancellationToken cancellationToken) =>
            new MessageDto(await choose.ExecuteAsync(input.Lab, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.AdminOnly).WithTags("Settings").WithSummary("Choose lab mode or production mode; applies at the next start.");

        api.MapPost("/settings/switch-to-production", async (GGnet.Core.Boot.NetworkSettingsInput network, SwitchToProduction switchToProduction,
            HttpContext context, CancellationToken cancellationToken) =>
            new MessageDto(await switchToProduction.ExecuteAsync(network, context.Actor(), cancellationToken)))
            .RequireAuthorization(Policies.AdminOnly).WithTags("Settings")
            .WithSummary("Leave the lab the guided way: the boot network (body, as PUT /settings/network) is checked, saved for the next start, then production mode is chosen.");
    }
}
