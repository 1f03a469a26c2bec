using System.Globalization;

namespace GGnet.Tests.Support;

/// <summary>Distinct, valid MAC addresses, so tests sharing one app don't collide.</summary>
public static class TestMacs
{
    private static int _next;

    public static string Next() => "52:54:00:" + Interlocked.Increment(ref _next).ToString("x6", CultureInfo.InvariantCulture).Insert(2, ":").Insert(5, ":");
}
