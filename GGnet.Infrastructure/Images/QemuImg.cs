using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CliWrap;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Images;
using GGnet.Core.Ports;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Images;

/// <summary>
/// <c>qemu-img info --output=json</c> to inspect, <c>qemu-img convert -p</c> to convert with its progress read as it is
/// printed. The source format is always named (never probed), and the output appears under its name only when complete;
/// a conversion that runs out of space says which folder is full (<see cref="StorageFullException"/>).
/// </summary>
public sealed partial class QemuImg(ExternalCommand commands, IOptions<StorageOptions> storage, ILogger<QemuImg> logger) : IDiskImageTool
{
    public const string Program = "qemu-img";

    /// <summary>The most address space <c>qemu-img info</c> may take: a crafted file must not make it eat the server's memory.</summary>
    public const long InfoMemoryBytes = 1L << 30;

    /// <summary>The most CPU time <c>qemu-img info</c> may take (it needs well under a second for any real image).</summary>
    public const int InfoCpuSeconds = 10;

    /// <summary>
    /// <c>qemu-img info</c> on an uploaded file, under limits (util-linux's prlimit): a file anyone could have crafted
    /// (an admin's upload of a downloaded image) is described with at most <see cref="InfoMemoryBytes"/> of address
    /// space and <see cref="InfoCpuSeconds"/> of CPU.
    /// </summary>
    public static (string Program, string[] Arguments) InfoCommand(string path) =>
        ("prlimit", [$"--as={InfoMemoryBytes}", $"--cpu={InfoCpuSeconds}", "--", Program, "info", "--output=json", path]);

    public async Task<DiskInspection> InspectAsync(string path, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        var (program, arguments) = InfoCommand(path);
        var result = await commands.RunAsync(program, arguments, cancellationToken, TimeSpan.FromSeconds(30));
        if (!result.Succeeded)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["file"] = [$"{name} can't be read as a disk image: {LastLine(result.Explanation)}"] });
        }
        try
        {
            using var info = JsonDocument.Parse(result.StandardOutput);
            var root = info.RootElement;
            var data = root.TryGetProperty("format-specific", out var specific) && specific.TryGetProperty("data", out var specificData) ? specificData : default;
            var corrupt = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("corrupt", out var flag) && flag.ValueKind == JsonValueKind.True;
            // A VMDK descriptor names its extents; each must be a file next to it, never something elsewhere on the server.
            var extents = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("extents", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(e => e.TryGetProperty("filename", out var f) ? f.GetString() ?? "" : "")
                    .Where(f => f != name && f != path).ToList()
                : [];
            return new DiskInspection(
                root.GetProperty("format").GetString() ?? "unknown",
                root.GetProperty("virtual-size").GetInt64(),
                new FileInfo(path).Length,
                root.TryGetProperty("backing-filename", out _) || root.TryGetProperty("full-backing-filename", out _),
                corrupt)
            {
                BackingFile = (root.TryGetProperty("full-backing-filename", out var full) ? full : root.TryGetProperty("backing-filename", out var named) ? named : default)
                    is { ValueKind: JsonValueKind.String } backing ? backing.GetString() : null,
                DataFiles = extents,
                HasExternalDataFile = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("data-file", out _),
            };
        }
        catch (Exception unreadable) when (unreadable is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["file"] = [$"{name} can't be read as a disk image: qemu-img's description of it is not understood."] });
        }
    }

    public async Task ConvertAsync(string source, DiskFormat sourceFormat, DiskFile destination, IProgress<double> progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination.Path)!);
        var partial = destination.Path + ".partial";
        File.Delete(partial);
        List<string> arguments = ["convert", "-p", "-f", Name(sourceFormat), "-O", Name(destination.Format)];
        if (storage.Value.ConvertRateLimitBytesPerSecond > 0)
        {
            arguments.AddRange(["-r", storage.Value.ConvertRateLimitBytesPerSecond.ToString(CultureInfo.InvariantCulture)]);
        }
        arguments.AddRange([source, partial]);
        var errors = new System.Text.StringBuilder();
        try
        {
            // -p prints "(12.34/100%)" lines ended by \r; each is read the moment it is written.
            var result = await Cli.Wrap(Program).WithArguments(arguments).WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.ToDelegate(line =>
                {
                    if (ProgressLine().Match(line) is { Success: true } match)
                    {
                        progress.Report(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
                    }
                }))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(errors))
                .ExecuteAsync(cancellationToken);
            logger.LogInformation("Ran {Program} {Arguments}: exit {ExitCode} in {Milliseconds} ms", Program, string.Join(' ', arguments), result.ExitCode, (long)result.RunTime.TotalMilliseconds);
            if (result.ExitCode != 0)
            {
                if (NoSpace.In(errors.ToString()))
                {
                    File.Delete(partial);
                    throw NoSpace.At(Path.GetDirectoryName(destination.Path)!);
                }
                throw new IOException($"qemu-img could not convert {Path.GetFileName(source)}: {LastLine(errors.ToString())}");
            }
            File.Move(partial, destination.Path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public async Task CreateBlankAsync(DiskFile destination, long sizeBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination.Path)!);
        var partial = destination.Path + ".partial";
        File.Delete(partial);
        try
        {
            var result = await commands.RunAsync(Program,
                ["create", "-q", "-f", Name(destination.Format), partial, sizeBytes.ToString(CultureInfo.InvariantCulture)], cancellationToken, TimeSpan.FromSeconds(60));
            if (!result.Succeeded)
            {
                if (NoSpace.In(result.Explanation))
                {
                    throw NoSpace.At(Path.GetDirectoryName(destination.Path)!);
                }
                throw new IOException($"qemu-img could not create a blank disk: {LastLine(result.Explanation)}");
            }
            File.Move(partial, destination.Path, overwrite: false);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public async Task RebaseAsync(DiskFile image, DiskFile? newBacking, CancellationToken cancellationToken)
    {
        // Safe mode (no -u): qemu-img copies in every cluster that reads differently through the new backing file.
        var result = await commands.RunAsync(Program,
            ["rebase", "-f", Name(image.Format), "-b", newBacking?.Path ?? "", .. newBacking is null ? Array.Empty<string>() : ["-F", Name(newBacking.Format)], image.Path],
            cancellationToken, TimeSpan.FromHours(2));
        if (!result.Succeeded)
        {
            throw new IOException($"qemu-img could not re-base {Path.GetFileName(image.Path)}: {LastLine(result.Explanation)}");
        }
    }

    private static string Name(DiskFormat format) => format.ToString().ToLowerInvariant();

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no reason given";

    [GeneratedRegex(@"\((\d+(?:\.\d+)?)/100%\)")]
    private static partial Regex ProgressLine();
}
