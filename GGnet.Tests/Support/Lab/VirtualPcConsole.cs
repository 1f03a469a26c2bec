namespace GGnet.Tests.Support.Lab;

/// <summary>What a lab test reads of a running virtual PC: its console through the API, its QEMU process.</summary>
public static class VirtualPcConsole
{
    /// <summary>The PC's console once it shows <paramref name="text"/>, or as it is when the time is up.</summary>
    public static async Task<string> WaitForAsync(HttpClient api, int machineId, string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        string console;
        do
        {
            console = await api.GetStringAsync(new Uri($"/api/v1/machines/{machineId}/console", UriKind.Relative));
            if (console.Contains(text, StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        return console;
    }

    // The virtual PC's QEMU is the process in the lab namespace whose command line names the PC's tap.
    public static async Task<int> QemuPidAsync(LabApp app, int machineId)
    {
        foreach (var (pid, _) in await app.LabProcessesAsync())
        {
            var commandLine = File.Exists($"/proc/{pid}/cmdline") ? await File.ReadAllTextAsync($"/proc/{pid}/cmdline") : "";
            if (commandLine.Contains($"ifname=vpc{machineId},", StringComparison.Ordinal) && commandLine.Contains("-accel", StringComparison.Ordinal))
            {
                return pid;
            }
        }
        throw new InvalidOperationException($"No QEMU runs virtual PC {machineId}.");
    }
}
