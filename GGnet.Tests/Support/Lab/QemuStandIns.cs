namespace GGnet.Tests.Support.Lab;

/// <summary>Scripts that stand in for qemu-system-x86_64 and behave like it does on machines with a broken or working KVM.</summary>
public static class QemuStandIns
{
    private const string RealQemu = "/usr/bin/qemu-system-x86_64";

    /// <summary>Guests asked to run under KVM print nothing and never end (like a kvm-pvm kernel's); the rest run for real.</summary>
    public static string KvmGuestsHang(string folder) => Write(folder, "kvm-hangs", $$"""
        for a in "$@"; do [ "$a" = kvm ] && exec sleep 300; done
        exec {{RealQemu}} "$@"
        """);

    /// <summary>Guests asked to run under KVM run emulated instead: a KVM that works, on any machine.</summary>
    public static string KvmRunsAsTcg(string folder) => Write(folder, "kvm-works", $$"""
        args=()
        for a in "$@"; do [ "$a" = kvm ] && a=tcg; args+=("$a"); done
        exec {{RealQemu}} "${args[@]}"
        """);

    /// <summary>Every guest prints nothing and never ends.</summary>
    public static string Silent(string folder) => Write(folder, "silent", "exec sleep 300");

    public static string Write(string folder, string name, string body)
    {
        var path = Path.Combine(folder, $"qemu-{name}.sh");
        File.WriteAllText(path, "#!/bin/bash\n" + body.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }
}
