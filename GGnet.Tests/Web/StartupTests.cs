using CliWrap;
using CliWrap.Buffered;
using GGnet.Tests.Support;

namespace GGnet.Tests.Web;

/// <summary>The real app process, started as an operator would: bad settings stop it with one sentence, not a stack trace.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task InconsistentBootNetwork_StopsStartUpWithOneSentence()
    {
        var result = await RunAppAsync(new Dictionary<string, string?>
        {
            ["GGNET__Network__ServerAddress"] = "10.98.0.1",
            ["GGNET__Network__Interface"] = "br0",
            ["GGNET__Network__Subnet"] = "10.99.0.0",
            ["GGNET__Network__Netmask"] = "255.255.255.0",
            ["GGNET__Network__RangeStart"] = "10.99.0.100",
            ["GGNET__Network__RangeEnd"] = "10.99.0.150",
            ["GGNET__Network__BootBaseUrl"] = "http://10.99.0.1:5000",
        });

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("GGnet can't start:", result.StandardError.Trim(), StringComparison.Ordinal);
        Assert.Contains("The server address 10.98.0.1 is outside the subnet 10.99.0.0/255.255.255.0.", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresWithoutConnectionString_StopsStartUpWithOneSentence()
    {
        var result = await RunAppAsync(new Dictionary<string, string?> { ["GGNET__Database__Provider"] = "Postgres" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Database:ConnectionString is empty", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralWrongSettings_EachGetsItsOwnLine_NamingTheSettingAndWhatItMustBe()
    {
        var result = await RunAppAsync(new Dictionary<string, string?>
        {
            ["GGNET__Iscsi__Chap"] = "Sometimes",
            ["GGNET__Metrics__SampleSeconds"] = "ten",
            ["GGNET__Logs__Json"] = "yes please",
        });

        var lines = result.StandardError.Trim().Split('\n');
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
        [
            "GGnet can't start: Iscsi:Chap is 'Sometimes', but it must be one of Off, OneWay, Mutual.",
            "GGnet can't start: Metrics:SampleSeconds is 'ten', but it must be a whole number.",
            "GGnet can't start: Logs:Json is 'yes please', but it must be true or false.",
        ], lines);
    }

    [Fact]
    public async Task SettingsOutOfRange_EachGetsItsOwnLine()
    {
        var result = await RunAppAsync(new Dictionary<string, string?>
        {
            ["GGNET__Lab__Enabled"] = "false",
            ["GGNET__Auth__TokenLifetimeHours"] = "0",
            ["GGNET__Iscsi__TgtControlPort"] = "99999",
            ["GGNET__Metrics__SampleSeconds"] = "0",
            ["GGNET__Health__ReadyCacheSeconds"] = "-1",
        });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("GGnet can't start: Auth:TokenLifetimeHours must be between 1 and 8760.", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("GGnet can't start: Iscsi:TgtControlPort must be between 0 and 32767.", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("GGnet can't start: Metrics:SampleSeconds must be between 1 and 3600.", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("GGnet can't start: Health:ReadyCacheSeconds must be between 0 and 3600.", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    private async Task<BufferedCommandResult> RunAppAsync(Dictionary<string, string?> environment)
    {
        environment["GGNET__Database__DataDirectory"] = _data.Path;
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "GGnet.Web.dll")])
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);
    }

    public void Dispose() => _data.Dispose();
}
