using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;

namespace GGnet.Tests.Core.Boot;

/// <summary>When a PC's tile and page say its boot looks stuck, and what they say.</summary>
public sealed class BootWarningsTests
{
    private static readonly DateTime Attached = new(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);
    private static readonly OsTakeOverLimit FiveMinutes = new(TimeSpan.FromMinutes(5));
    private const string Silent = "Its console has printed nothing for 75 s.";

    [Theory]
    // stage,                 session online, OS took over, firmware-only image, console warning, minutes attached, expected
    [InlineData(BootStage.DiskAttached, false, false, false, Silent, 0, "console")]
    [InlineData(BootStage.ScriptFetched, false, false, false, null, 9, null)]
    [InlineData(BootStage.Online, true, false, false, Silent, 1, null)]
    [InlineData(BootStage.Online, true, false, false, null, 4, null)]
    [InlineData(BootStage.Online, true, false, false, null, 6, "firmware only for 6 min")]
    [InlineData(BootStage.Online, true, true, false, null, 60, null)]
    [InlineData(BootStage.Online, true, false, true, null, 60, null)]
    [InlineData(BootStage.Online, false, false, false, null, 60, null)]
    public void For_SaysWhatLooksStuck(BootStage stage, bool sessionOnline, bool osTookOver, bool firmwareOnlyImage, string? console, int minutes, string? expected)
    {
        var machine = new Machine(new MachineDetails(Hostname.Parse("pc-17"), MacAddress.Parse("52:54:00:00:00:17"), null, null, null, Firmware.Uefi, null, true), Attached);
        machine.ObserveBootStage(stage, Attached);
        var session = new Session(machine.Id, 1, SessionType.Normal, "n1", Attached.AddMinutes(-1));
        session.MoveTo(sessionOnline ? SessionState.Online : SessionState.Ready, Attached);
        if (osTookOver)
        {
            session.ObserveOsTookOver(Attached.AddSeconds(20));
        }

        var warning = BootWarnings.For(machine, session, console, firmwareOnlyImage, FiveMinutes, Attached.AddMinutes(minutes));

        switch (expected)
        {
            case null:
                Assert.Null(warning);
                break;
            case "console":
                Assert.Equal(Silent, warning);
                break;
            default:
                Assert.Contains(expected, warning, StringComparison.Ordinal);
                Assert.Contains("INACCESSIBLE_BOOT_DEVICE", warning, StringComparison.Ordinal);
                break;
        }
    }

    [Theory]
    // seconds since power-on, seen since power-on, console warning, expected
    [InlineData(60, false, null, null)]
    [InlineData(95, false, null, "powered on 95 s ago and has not asked for an address")]
    [InlineData(600, false, null, "powered on 10 min ago and has not asked for an address")]
    [InlineData(600, true, null, null)]
    [InlineData(600, false, Silent, Silent)]
    public void APoweredOnPc_ThatNeverAskedForAnAddress_TurnsAmber(int seconds, bool seenSince, string? console, string? expected)
    {
        var machine = new Machine(new MachineDetails(Hostname.Parse("vpc-3"), MacAddress.Parse("52:54:00:00:00:03"), null, null, null, Firmware.Bios, null, true), Attached.AddDays(-1));
        machine.ObserveBootStage(BootStage.Offline, Attached.AddHours(-1));
        if (seenSince)
        {
            machine.ObserveBootStage(BootStage.DhcpLease, Attached.AddSeconds(5));
        }

        var warning = BootWarnings.For(machine, null, console, false, FiveMinutes, Attached.AddSeconds(seconds), poweredOnAt: Attached);

        if (expected is null)
        {
            Assert.Null(warning);
        }
        else
        {
            Assert.Contains(expected, warning, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ANewAttach_ForgetsThatTheOsTookOverTheLastOne()
    {
        var session = new Session(1, 1, SessionType.Normal, "n1", Attached);
        session.MoveTo(SessionState.Online, Attached);
        session.ObserveOsTookOver(Attached.AddSeconds(30));

        session.MoveTo(SessionState.Ready, Attached.AddMinutes(10));
        session.MoveTo(SessionState.Online, Attached.AddMinutes(11));

        Assert.Null(session.OsTookOverAt);
    }
}
