using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Identity;
using GGnet.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Core.Boot;

/// <summary>
/// Which requests count as the PC's own, the proof that gives it its CHAP secrets and moves its target to that address.
/// The customer at seat 17 takes the address of seat 5 while seat 5 is switched off, or is leased it after seat 5's lease
/// ended: neither is seat 5.
/// </summary>
public sealed class ThePcsOwnAddressTests
{
    private static readonly MacAddress Seat5Card = MacAddress.Parse("52:54:00:00:00:05");
    private static readonly MacAddress Seat17Card = MacAddress.Parse("52:54:00:00:00:17");
    private static readonly Ipv4Address Seat5Address = Ipv4Address.Parse("10.99.0.105");
    private static readonly DateTime Now = new(2026, 12, 8, 9, 0, 0, DateTimeKind.Utc);

    private readonly InMemoryMachineRepository _machines = new();
    private readonly InMemoryBootRepository _boot;
    private readonly GivenLeases _leases = new();
    private readonly Dictionary<Ipv4Address, MacAddress> _cards = [];
    private readonly Machine _seat5 = new(new MachineDetails(Hostname.Parse("seat-05"), Seat5Card, null, null, null, Firmware.Bios, null, true), Now.AddDays(-1));

    public ThePcsOwnAddressTests() => _boot = new InMemoryBootRepository(_machines);

    [Fact]
    public async Task TheAddressDhcpdLeasedThePc_AndItStillHolds_IsThePcs()
    {
        _leases.Given.Add(new DhcpLease(Seat5Card, Seat5Address, Now.AddMinutes(-10), Now.AddMinutes(50), Bound: true));
        _cards[Seat5Address] = Seat5Card;

        Assert.True(await IsSeat5Async(Seat5Address));
    }

    [Fact]
    public async Task AnotherCardAtThePcsAddress_IsNotThePc_EvenAtItsFixedAddress()
    {
        var fixedSeat5 = new Machine(new MachineDetails(Hostname.Parse("seat-05"), Seat5Card, Seat5Address, null, null, Firmware.Bios, null, true), Now.AddDays(-1));
        _leases.Given.Add(new DhcpLease(Seat5Card, Seat5Address, Now.AddMinutes(-10), Now.AddMinutes(50), Bound: true));
        _cards[Seat5Address] = Seat17Card;

        Assert.False(await Composer().IsThePcAsync(fixedSeat5, Seat5Address, CancellationToken.None));
        Assert.False(await IsSeat5Async(Seat5Address));
    }

    [Fact]
    public async Task ALeaseThatEnded_OrThatDhcpdFreed_IsNotThePcs_AnyMore()
    {
        _leases.Given.Add(new DhcpLease(Seat5Card, Seat5Address, Now.AddHours(-2), Now.AddHours(-1), Bound: true));
        var ended = await IsSeat5Async(Seat5Address);
        _leases.Given[0] = new DhcpLease(Seat5Card, Seat5Address, Now.AddMinutes(-10), Now.AddMinutes(50), Bound: false);
        var freed = await IsSeat5Async(Seat5Address);

        Assert.False(ended);
        Assert.False(freed);
    }

    [Fact]
    public async Task AnAddressLeasedSinceToAnotherCard_IsNotThePcs()
    {
        // Seat 5's lease would still look held; the address's latest lease is seat 17's.
        _leases.Given.Add(new DhcpLease(Seat5Card, Seat5Address, Now.AddMinutes(-40), Now.AddMinutes(20), Bound: true));
        _leases.Given.Add(new DhcpLease(Seat17Card, Seat5Address, Now.AddMinutes(-5), Now.AddMinutes(55), Bound: true));

        Assert.False(await IsSeat5Async(Seat5Address));
    }

    [Fact]
    public async Task WithoutLeasesHere_TheLeaseGGnetRecordedForTheAddress_CountsOnlyWhileItCanStillBeHeld()
    {
        _leases.KeptHere = false;
        _boot.Recent.Add(new BootEvent(1, Seat5Card, BootEventKind.DhcpLease, Seat5Address, Now.AddMinutes(-90)));
        var recent = await IsSeat5Async(Seat5Address);
        _boot.Recent.Clear();
        _boot.Recent.Add(new BootEvent(1, Seat5Card, BootEventKind.DhcpLease, Seat5Address, Now - DhcpdConfig.MaxLeaseTime - TimeSpan.FromMinutes(1)));
        var tooOld = await IsSeat5Async(Seat5Address);
        _boot.Recent.Clear();
        _boot.Recent.Add(new BootEvent(1, Seat5Card, BootEventKind.DhcpLease, Seat5Address, Now.AddMinutes(-30)));
        _boot.Recent.Add(new BootEvent(2, Seat17Card, BootEventKind.DhcpLease, Seat5Address, Now.AddMinutes(-1)));
        var leasedSinceToSeat17 = await IsSeat5Async(Seat5Address);

        Assert.True(recent);
        Assert.False(tooOld);
        Assert.False(leasedSinceToSeat17);
    }

    [Fact]
    public async Task APcTheServerHasNoArpEntryFor_BehindARouter_IsStillItself_AtItsLeaseOrItsFixedAddress()
    {
        var fixedSeat5 = new Machine(new MachineDetails(Hostname.Parse("seat-05"), Seat5Card, Seat5Address, null, null, Firmware.Bios, null, true), Now.AddDays(-1));
        var fixedWithoutLease = await Composer().IsThePcAsync(fixedSeat5, Seat5Address, CancellationToken.None);
        _leases.Given.Add(new DhcpLease(Seat5Card, Seat5Address, Now.AddMinutes(-10), Now.AddMinutes(50), Bound: true));

        Assert.True(fixedWithoutLease);
        Assert.True(await IsSeat5Async(Seat5Address));
        Assert.False(await IsSeat5Async(Ipv4Address.Parse("10.99.0.117")));
    }

    private Task<bool> IsSeat5Async(Ipv4Address from) => Composer().IsThePcAsync(_seat5, from, CancellationToken.None);

    private BootScriptComposer Composer()
    {
        var parts = new RecordingSessionParts();
        var chap = new MachineChap(_machines, new InMemorySessions(null!), new DataProtectionSecrets(new EphemeralDataProtectionProvider()), new ChapDefaults(ChapPolicy.OneWay),
            new InMemoryAuditLog(), TimeProvider.System);
        return new BootScriptComposer(parts, _boot, chap, _leases, parts, new GivenNeighbours(_cards), new FakeTimeProvider(Now));
    }
}
