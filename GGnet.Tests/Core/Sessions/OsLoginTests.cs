using GGnet.Core.Iscsi;
using GGnet.Core.Sessions;

namespace GGnet.Tests.Core.Sessions;

public sealed class OsLoginTests
{
    private const string Initiator = "iqn.2024-01.net.ggnet:initiator.525400000001";

    [Fact]
    public void WithoutDataDisks_ALoginBesideTheFirmwaresOne_IsTheOs()
    {
        var firmware = new HashSet<string>(["1"], StringComparer.Ordinal);

        var os = OsLogin.Find(firmware, [Login("1"), Login("2")], firmwareHooks: 1);

        Assert.Equal("2", os?.Login);
    }

    [Fact]
    public void WithTwoDataDisks_TheFirmwaresLaterHooks_SeenOneLookLater_AreNotTheOs()
    {
        // The first look saw the firmware's first hook (a data disk) only.
        var firmware = new HashSet<string>(["7"], StringComparer.Ordinal);

        var second = OsLogin.Find(firmware, [Login("7"), Login("8")], firmwareHooks: 3);
        var third = OsLogin.Find(firmware, [Login("7"), Login("8"), Login("9")], firmwareHooks: 3);
        var os = OsLogin.Find(firmware, [Login("7"), Login("8"), Login("9"), Login("10")], firmwareHooks: 3);

        Assert.Null(second);
        Assert.Null(third);
        Assert.Equal("10", os?.Login);
        Assert.Equal(["7", "8", "9"], firmware.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ABackendThatNamesNoLogins_NeverSeesTheOs()
    {
        var firmware = new HashSet<string>(StringComparer.Ordinal);

        Assert.Null(OsLogin.Find(firmware, [new IscsiConnection(Initiator, "10.99.0.10"), new IscsiConnection(Initiator, "10.99.0.10")], firmwareHooks: 1));
    }

    private static IscsiConnection Login(string id) => new(Initiator, "10.99.0.10", id);
}
