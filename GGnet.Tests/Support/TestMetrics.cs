using System.Diagnostics.Metrics;
using GGnet.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Support;

/// <summary>GGnet's meter on a meter factory of its own, for tests that build a use case or repository by hand.</summary>
public static class TestMetrics
{
    public static GGnetMetrics Create() => new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
