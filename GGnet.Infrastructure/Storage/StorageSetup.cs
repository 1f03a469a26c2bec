using GGnet.Core.Ports;
using GGnet.Infrastructure.Backups;
using GGnet.Infrastructure.Images;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Storage;

public static class StorageSetup
{
    /// <summary>Where disks live: the storage pool, session disks and how they are made, image files and qemu-img, backups.</summary>
    public static IServiceCollection AddGGnetStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IStoragePool, DiskDirectoryPool>();
        services.AddSingleton<GGnet.Core.Storage.StorageHistory>();
        services.AddSingleton<SessionDiskFolder>();
        services.AddSingleton<FuseExports>();
        services.AddSingleton<CopyDiskCloner>();
        services.AddSingleton<OverlayDiskCloner>();
        services.AddSingleton<IDiskCloner, SessionDiskCloner>();

        services.AddSingleton<ImportFolder>();
        services.AddSingleton<IImportFolder>(sp => sp.GetRequiredService<ImportFolder>());
        services.AddSingleton<IUploadReceiver, UploadReceiver>();
        services.AddSingleton<ImageFolder>();
        services.AddSingleton<IImageFolder>(sp => sp.GetRequiredService<ImageFolder>());
        services.AddSingleton<IDiskImageTool, QemuImg>();
        services.AddSingleton<GGnet.Core.Images.ImageConversions>();
        services.AddSingleton<GGnet.Core.Sessions.ProvisioningProgress>();
        services.AddSingleton(sp => new GGnet.Core.Images.ImageRetention(sp.GetRequiredService<IOptions<StorageOptions>>().Value.KeepVersions));
        services.AddSingleton(sp => new GGnet.Core.Images.UploadLimit(sp.GetRequiredService<IOptions<StorageOptions>>().Value.MaxUploadBytes));

        services.AddOptions<BackupOptions>().Bind(configuration.GetSection(BackupOptions.Section)).ValidateDataAnnotations()
            .Validate(o => global::Cronos.CronExpression.TryParse(o.Cron, out _), "Backup:Cron is not a cron expression; the default 0 3 * * * is every night at 03:00.")
            .ValidateOnStart();
        services.AddSingleton<IBackupArchive, ArchiveBackups>();
        services.AddSingleton(sp => new GGnet.Core.Backups.BackupRetention(sp.GetRequiredService<IOptions<BackupOptions>>().Value.Keep));
        return services;
    }
}
