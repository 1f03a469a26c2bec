using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CliWrap;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Support.Netboot;

/// <summary>What the real-boot tests do around a <see cref="NetbootLab"/>: log in, add the golden image, read the boot events.</summary>
public static class NetbootSteps
{
    public static async Task LogInAsync(HttpClient api)
    {
        var token = await (await api.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = NetbootLab.AdminPassword })).Content.ReadFromJsonAsync<JsonElement>();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());
    }

    // The golden disk: the boot sector at LBA 0 and the banner with this run's nonce at LBA 2048.
    public static async Task<int> AddImageAsync(NetbootLab lab, string nonce, string? folder = null)
    {
        var path = Path.Combine(folder ?? lab.Root, "golden.img");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Cli.Wrap("nasm").WithArguments(["-f", "bin", "-o", Path.Combine(lab.Root, "boot-sector.bin"), Path.Combine(AppContext.BaseDirectory, "E2E", "Assets", "boot-sector.asm")]).ExecuteAsync();
        await using (var disk = File.Create(path))
        {
            disk.SetLength(4 << 20);
            disk.Write(await File.ReadAllBytesAsync(Path.Combine(lab.Root, "boot-sector.bin")));
            disk.Seek(2048 * 512, SeekOrigin.Begin);
            disk.Write(Encoding.ASCII.GetBytes($"GGNET-BOOT-OK nonce={nonce}\r\n\0"));
        }
        var options = Options.Create(new DatabaseOptions { DataDirectory = lab.DataDirectory });
        await using var db = new GGnetDbContextFactory(options).CreateDbContext();
        var image = new Image("e2e-golden", null, nodeName: "", DateTime.UtcNow);
        db.Images.Add(image);
        await db.SaveChangesAsync();
        var version = new ImageVersion(image.Id, 1, DiskFormat.Raw, 4 << 20, path, DateTime.UtcNow);
        version.MarkReady();
        db.ImageVersions.Add(version);
        await db.SaveChangesAsync();
        image.MakeCurrent(version);
        await db.SaveChangesAsync();
        return image.Id;
    }

    public static async Task<List<BootEventKind>> BootEventsAsync(NetbootLab lab, int machineId)
    {
        await using var db = new GGnetDbContextFactory(Options.Create(new DatabaseOptions { DataDirectory = lab.DataDirectory })).CreateDbContext();
        return await db.BootEvents.Where(e => e.MachineId == machineId).Select(e => e.Kind).ToListAsync();
    }

    public static string Tail(string log) =>
        File.Exists(log) ? string.Concat(File.ReadAllText(log).Where(c => c == '\n' || !char.IsControl(c)).TakeLast(1500)) : "(no output)";

    public static async Task<List<BootEvent>> BootEventDetailsAsync(NetbootLab lab, int machineId)
    {
        await using var db = new GGnetDbContextFactory(Options.Create(new DatabaseOptions { DataDirectory = lab.DataDirectory })).CreateDbContext();
        return await db.BootEvents.AsNoTracking().Where(e => e.MachineId == machineId).OrderBy(e => e.Id).ToListAsync();
    }
}
