using GGnet.Core.Audit;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Lab;
using GGnet.Core.Ports;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Core.Lab;

/// <summary>The lab's use cases over in-memory stores and a fake lab.</summary>
public sealed class LabUseCaseTests
{
    [Fact]
    public async Task AddVirtualPc_InLabMode_NamesItVpcNWithAQemuMac()
    {
        var machines = new InMemoryMachineRepository();
        await using var context = ComponentTestContext.Create(machines, lab: FakeLab.Running());
        var add = context.Services.GetRequiredService<AddVirtualPc>();

        var first = await add.ExecuteAsync("alice", GGnet.Core.Domain.Machines.Firmware.Bios, CancellationToken.None);
        var second = await add.ExecuteAsync("alice", GGnet.Core.Domain.Machines.Firmware.Bios, CancellationToken.None);

        Assert.Equal("vpc-1", first.Name.Value);
        Assert.Equal("vpc-2", second.Name.Value);
        Assert.True(first.IsVirtual);
        Assert.StartsWith("52:54:00:", first.MacAddress.Value, StringComparison.Ordinal);
        Assert.NotEqual(first.MacAddress, second.MacAddress);
        Assert.Equal(2, (await machines.ListVirtualAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AddVirtualPc_InProductionMode_IsRefusedWithASentence()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), lab: new FakeLab());

        var refused = await Assert.ThrowsAsync<ConflictException>(() => context.Services.GetRequiredService<AddVirtualPc>().ExecuteAsync("alice", GGnet.Core.Domain.Machines.Firmware.Bios, CancellationToken.None));

        Assert.Equal("Virtual PCs live in lab mode only; GGnet runs in production mode.", refused.Message);
    }

    [Fact]
    public async Task PowerOn_ARealPc_IsRefused_AVirtualOneIsOnAndAudited()
    {
        var machines = new InMemoryMachineRepository();
        var real = new Machine(new MachineDetails(Hostname.Parse("hall-01"), MacAddress.Parse("00:11:22:33:44:55"), null, null, null, Firmware.Bios, null, true), DateTime.UtcNow);
        await machines.AddAsync(real, CancellationToken.None);
        var lab = FakeLab.Running();
        await using var context = ComponentTestContext.Create(machines, lab: lab);
        var virtualPc = await context.Services.GetRequiredService<AddVirtualPc>().ExecuteAsync("alice", GGnet.Core.Domain.Machines.Firmware.Bios, CancellationToken.None);
        var powerOn = context.Services.GetRequiredService<PowerOnVirtualPc>();

        var refused = await Assert.ThrowsAsync<ConflictException>(() => powerOn.ExecuteAsync(real.Id, "alice", CancellationToken.None));
        await powerOn.ExecuteAsync(virtualPc.Id, "alice", CancellationToken.None);

        Assert.Contains("real PC", refused.Message, StringComparison.Ordinal);
        Assert.Equal([virtualPc.Id], lab.PoweredOn);
        Assert.Contains(((InMemoryAuditLog)context.Services.GetRequiredService<IAuditLog>()).Events, e => e.Action == AuditActions.VirtualPcPoweredOn && e.Actor == "alice");
    }

    [Fact]
    public async Task BootVirtualPcs_WhenTheLabIsDown_SaysWhy()
    {
        var lab = new FakeLab { Status = new LabStatus(true, false, "Lab mode needs root to create its private network.", 5) };
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), lab: lab);

        var refused = await Assert.ThrowsAsync<ConflictException>(() => context.Services.GetRequiredService<BootVirtualPcs>().ExecuteAsync(new LabBootRequest(3), "alice", CancellationToken.None));

        Assert.Equal("Lab mode needs root to create its private network.", refused.Message);
    }

    [Fact]
    public async Task ChooseMode_SavesTheChoice_AuditsIt_AndSaysARestartApplies()
    {
        var lab = FakeLab.Running();
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), lab: lab);

        var sentence = await context.Services.GetRequiredService<ChooseMode>().ExecuteAsync(false, "root-admin", CancellationToken.None);

        Assert.False(lab.SavedLabMode);
        Assert.StartsWith("GGnet switches to production mode when it next starts", sentence, StringComparison.Ordinal);
        var audited = Assert.Single(((InMemoryAuditLog)context.Services.GetRequiredService<IAuditLog>()).Events);
        Assert.Equal(("mode=lab", "mode=production"), (audited.Before, audited.After));
    }

    [Fact]
    public async Task SaveNetworkSettings_InLabMode_IsRefused_SoTheLabsDhcpdNeverMovesToARealNetwork()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), lab: FakeLab.Running());
        var input = new NetworkSettingsInput
        {
            ServerAddress = "192.168.1.10", Interface = "eth0", Subnet = "192.168.1.0", Netmask = "255.255.255.0",
            RangeStart = "192.168.1.100", RangeEnd = "192.168.1.200",
        };

        var refused = await Assert.ThrowsAsync<ConflictException>(() => context.Services.GetRequiredService<SaveNetworkSettings>().ExecuteAsync(input, "alice", CancellationToken.None));

        Assert.Contains("Switch to production mode first", refused.Message, StringComparison.Ordinal);
        Assert.Null(context.Services.GetRequiredService<UnconfiguredBootNetwork>().Current.ServerAddress);
        Assert.Equal(0, ((CountingBootSyncTrigger)context.Services.GetRequiredService<IBootSyncTrigger>()).Requests);
    }
}
