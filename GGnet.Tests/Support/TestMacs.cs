using System.Globalization;

namespace GGnet.Tests.Support;

/// <summary>Distinct, valid MAC addresses and names so tests sharing one app don't collide.</summary>
public static class TestMacs
{
    private static int _next;

    public static string Next() => "52:54:00:" + Interlocked.Increment(ref _next).ToString("x6", CultureInfo.InvariantCulture).Insert(2, ":").Insert(5, ":");

    public static string Name(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
