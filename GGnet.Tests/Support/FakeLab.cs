using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Lab;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Lab mode for component and use-case tests: a status to set, virtual PCs that only remember being on, a demo image id, a saved mode.</summary>
public sealed class FakeLab : ILab, IVirtualPcs, IDemoImage, IRealOsImage, IModeStore
{
    private readonly HashSet<int> _on = [];

    public LabStatus Status { get; set; } = LabStatus.Production;

    public int DemoImageId { get; set; } = 1;

    public bool? SavedLabMode { get; private set; }

    public static FakeLab Running(int max = 5) => new() { Status = new LabStatus(true, true, "Lab mode: PCs boot on GGnet's private network 10.99.0.0/24.", max) };

    public IReadOnlyCollection<int> PoweredOn => _on.ToList();

    public Task PowerOnAsync(Machine machine, CancellationToken cancellationToken)
    {
        if (_on.Count >= Status.MaxVirtualPcs)
        {
            throw new ConflictException("Power one off first.");
        }
        _on.Add(machine.Id);
        Switched.Add($"on {machine.Id}");
        return Task.CompletedTask;
    }

    public Task<bool> PowerOffAsync(int machineId, CancellationToken cancellationToken)
    {
        Switched.Add($"off {machineId}");
        return Task.FromResult(_on.Remove(machineId));
    }

    /// <summary>Every power switch, in order: "on 3", "off 3".</summary>
    public List<string> Switched { get; } = [];

    /// <summary>What <see cref="WarningFor"/> says, by machine id.</summary>
    public Dictionary<int, string> Warnings { get; } = [];

    public string? WarningFor(int machineId) => _on.Contains(machineId) ? Warnings.GetValueOrDefault(machineId) : null;

    /// <summary>When each PC was powered on, by machine id (what <see cref="PoweredOnAt"/> says while it is on).</summary>
    public Dictionary<int, DateTime> PowerOnTimes { get; } = [];

    public DateTime? PoweredOnAt(int machineId) => _on.Contains(machineId) && PowerOnTimes.TryGetValue(machineId, out var at) ? at : null;

    public Task<string> ReadConsoleAsync(int machineId, CancellationToken cancellationToken) =>
        Task.FromResult(_on.Contains(machineId) ? $"iPXE booting machine {machineId}\n" : "");

    public Task<int> EnsureAsync(CancellationToken cancellationToken) => Task.FromResult(DemoImageId);

    public Task SaveAsync(bool labMode, CancellationToken cancellationToken)
    {
        SavedLabMode = labMode;
        return Task.CompletedTask;
    }
}
