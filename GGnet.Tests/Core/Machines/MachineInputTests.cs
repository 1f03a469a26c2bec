using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Machines;

namespace GGnet.Tests.Core.Machines;

public sealed class MachineInputTests
{
    [Fact]
    public void ToDetails_ValidInput_ParsesEveryField()
    {
        var input = new MachineInput
        {
            Name = "PC-07", MacAddress = "AA-BB-CC-00-00-07", IpAddress = "10.0.0.7", Firmware = "UEFI",
            InitiatorIqn = "iqn.2024-01.com.example:pc-07", Description = "  corner seat ", GroupId = 3, Enabled = false,
        };

        var details = input.ToDetails();

        Assert.Equal("pc-07", details.Name.Value);
        Assert.Equal("aa:bb:cc:00:00:07", details.MacAddress.Value);
        Assert.Equal("10.0.0.7", details.IpAddress!.Value);
        Assert.Equal(Firmware.Uefi, details.Firmware);
        Assert.Equal("iqn.2024-01.com.example:pc-07", details.InitiatorIqn!.Value);
        Assert.Equal("corner seat", details.Description);
        Assert.Equal(3, details.GroupId);
        Assert.False(details.Enabled);
    }

    [Fact]
    public void ToDetails_OptionalFieldsEmpty_GivesBiosAndNulls()
    {
        var details = new MachineInput { Name = "pc", MacAddress = "aabbcc000001", IpAddress = " ", InitiatorIqn = "" }.ToDetails();

        Assert.Null(details.IpAddress);
        Assert.Null(details.InitiatorIqn);
        Assert.Equal(Firmware.Bios, details.Firmware);
        Assert.True(details.Enabled);
    }

    [Fact]
    public void ToDetails_EveryFieldBad_NamesEveryField()
    {
        var input = new MachineInput
        {
            Name = "pc;01", MacAddress = "nope", IpAddress = "300.1.1.1", Firmware = "coreboot",
            InitiatorIqn = "iqn.bad", Description = "line\u0000",
        };

        var error = Assert.Throws<InvalidInputException>(() => input.ToDetails());

        Assert.Equal(
            ["description", "firmware", "initiatorIqn", "ipAddress", "macAddress", "name"],
            error.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("99")]
    public void ValidateFirmware_NumbersThatAreNotNames_AreRefused_WithTheTwoNamesItTakes(string text)
    {
        Assert.Equal("Firmware is either 'bios' or 'uefi'.", MachineInput.ValidateFirmware(text));
        Assert.Null(MachineInput.ValidateFirmware(" UEFI "));
    }

    [Fact]
    public void ValidateDescription_TooLong_IsRefused()
    {
        Assert.NotNull(MachineInput.ValidateDescription(new string('x', Machine.MaxDescriptionLength + 1)));
        Assert.Null(MachineInput.ValidateDescription("two\nlines"));
    }
}
