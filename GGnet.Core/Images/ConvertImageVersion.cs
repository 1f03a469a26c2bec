using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Core.Images;

/// <summary>
/// The conversion job: turns the imported file into the version's raw disk with live progress, then makes it the
/// image's current version. Cancelled or failed (a full image directory too), the partial disk is gone, the imported
/// file stays, and the version says why. Re-entrant: a version that is no longer converting is left alone.
/// </summary>
public sealed class ConvertImageVersion(
    IImageRepository images,
    IDiskImageTool tool,
    IImportFolder importFolder,
    IImageFolder imageFolder,
    ImageConversions conversions,
    IStatusNotifier notifier,
    TimeProvider clock)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(250);

    public async Task ExecuteAsync(int versionId, CancellationToken cancellationToken)
    {
        if (await images.FindVersionAsync(versionId, cancellationToken) is not { Status: ImageStatus.Converting, SourcePath: { } source, SourceFormat: { } format } version)
        {
            return;
        }
        using var running = conversions.Begin(versionId, cancellationToken);
        var lastNotified = DateTime.MinValue;
        var progress = new Progress(percent =>
        {
            running.Report(percent);
            var now = clock.GetUtcNow().UtcDateTime;
            if (now - lastNotified >= ProgressEvery || percent >= 100)
            {
                lastNotified = now;
                notifier.ImageChanged(version.ImageId);
            }
        });
        try
        {
            // Checked again right before reading it: the file in the import folder may have changed since the import.
            var inspection = await tool.InspectAsync(source, running.Token);
            if (inspection.Problem(Path.GetFileName(source)) is { } problem)
            {
                throw new InvalidInputException(new Dictionary<string, string[]> { ["file"] = [problem] });
            }
            importFolder.CheckDataFiles(source, inspection.DataFiles);
            await tool.ConvertAsync(source, format, new DiskFile(version.Path, version.Format), progress, running.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await FailAsync(version, "Cancelled: the import was stopped before it finished.", CancellationToken.None);
            return;
        }
        catch (StorageFullException full)
        {
            await FailAsync(version, DiskFull(full, version.SizeBytes, Path.GetFileName(source)), CancellationToken.None);
            return;
        }
        catch (InvalidInputException invalid)
        {
            await FailAsync(version, string.Join(" ", invalid.Errors.Values.SelectMany(m => m)), CancellationToken.None);
            return;
        }
        catch (Exception problem) when (problem is not OperationCanceledException)
        {
            // Whatever went wrong, the version must not stay "converting" forever: it says why.
            await FailAsync(version, problem.Message, CancellationToken.None);
            return;
        }
        // Cancelled (or removed) meanwhile by someone else: their word stands.
        if (await images.FindVersionAsync(versionId, cancellationToken) is not { Status: ImageStatus.Converting })
        {
            await imageFolder.DeleteAsync(version.Path, CancellationToken.None);
            return;
        }
        var at = clock.GetUtcNow().UtcDateTime;
        version.MarkReady();
        await images.SaveVersionAsync(version, new AuditEvent(at, "system", AuditActions.ImageReady, "image", version.ImageId.ToString(CultureInfo.InvariantCulture), null,
            $"version={version.Number} path={version.Path}"), cancellationToken, makeCurrent: true);
        notifier.ImageChanged(version.ImageId);
    }

    private async Task FailAsync(ImageVersion version, string reason, CancellationToken cancellationToken)
    {
        await imageFolder.DeleteAsync(version.Path, cancellationToken);
        version.MarkFailed(reason);
        await images.SaveVersionAsync(version, new AuditEvent(clock.GetUtcNow().UtcDateTime, "system", AuditActions.ImageFailed, "image",
            version.ImageId.ToString(CultureInfo.InvariantCulture), null, $"version={version.Number} reason={reason}"), cancellationToken);
        notifier.ImageChanged(version.ImageId);
    }

    // The converter has already removed its partial output; the imported file was only read.
    private static string DiskFull(StorageFullException full, long neededBytes, string file) =>
        $"The image directory {full.Folder} is full ({StorageFullException.Readable(full.FreeBytes)} free, up to {StorageFullException.Readable(neededBytes)} needed to convert {file}). "
        + $"Free space there or give Storage:ImageDirectory a bigger filesystem, then import again: {file} is still in the import folder.";

    // Reports synchronously on the converter's thread (System.Progress would post to the thread pool, out of order).
    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
